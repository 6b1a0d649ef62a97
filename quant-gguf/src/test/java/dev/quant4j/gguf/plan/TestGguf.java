package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a GGUF v3 reader for tests (metadata, tensor infos, F32 tensor data) of trusted reference
 * files; quant-gguf's real reader lives elsewhere and is not used here on purpose.
 *
 * @param metadata   key/values in file order
 * @param tensors    tensor infos in file order (offsets relative to the data section)
 * @param dataOffset absolute offset of the data section
 * @param bytes      the whole file
 */
record TestGguf(Metadata metadata, List<TensorInfo> tensors, long dataOffset, ByteBuffer bytes) {

    static TestGguf read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747) {
            throw new IOException(file + ": not a GGUF file");
        }
        b.getInt(); // version
        long nTensors = b.getLong();
        long nKv = b.getLong();
        List<Metadata.Entry> kv = new ArrayList<>();
        long alignment = 32;
        for (long i = 0; i < nKv; i++) {
            String key = string(b);
            MetaValue v = value(b, MetaType.fromId(b.getInt()).orElseThrow());
            if (key.equals("general.alignment") && v instanceof MetaValue.Int a) {
                alignment = a.value();
            }
            kv.add(new Metadata.Entry(key, v));
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (long i = 0; i < nTensors; i++) {
            String name = string(b);
            long[] ne = new long[b.getInt()];
            for (int d = 0; d < ne.length; d++) {
                ne[d] = b.getLong();
            }
            DType type = DType.fromId(b.getInt()).orElseThrow();
            Shape shape = Shape.of(ne);
            tensors.add(new TensorInfo(name, type, shape, b.getLong(), TensorInfo.byteSize(type, shape)));
        }
        long data = (b.position() + alignment - 1) / alignment * alignment;
        return new TestGguf(new Metadata(kv), tensors, data, b);
    }

    /** The values of an F32 tensor. */
    float[] floats(String name) {
        TensorInfo t = tensors.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        if (t.type() != DType.F32) {
            throw new IllegalArgumentException(name + " is " + t.type());
        }
        float[] out = new float[(int) t.shape().elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.getFloat((int) (dataOffset + t.offset() + 4L * i));
        }
        return out;
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[(int) b.getLong()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static MetaValue value(ByteBuffer b, MetaType t) {
        return switch (t) {
            case UINT8, INT8, BOOL -> t == MetaType.BOOL ? new MetaValue.Bool(b.get() != 0)
                    : new MetaValue.Int(t, t == MetaType.UINT8 ? b.get() & 0xFF : b.get());
            case UINT16 -> new MetaValue.Int(t, b.getShort() & 0xFFFF);
            case INT16 -> new MetaValue.Int(t, b.getShort());
            case UINT32 -> new MetaValue.Int(t, b.getInt() & 0xFFFF_FFFFL);
            case INT32 -> new MetaValue.Int(t, b.getInt());
            case UINT64, INT64 -> new MetaValue.Int(t, b.getLong());
            case FLOAT32 -> new MetaValue.Real(t, b.getFloat());
            case FLOAT64 -> new MetaValue.Real(t, b.getDouble());
            case STRING -> new MetaValue.Text(string(b));
            case ARRAY -> {
                MetaType et = MetaType.fromId(b.getInt()).orElseThrow();
                long n = b.getLong();
                List<MetaValue> values = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    values.add(value(b, et));
                }
                yield new MetaValue.Array(et, values);
            }
        };
    }
}
