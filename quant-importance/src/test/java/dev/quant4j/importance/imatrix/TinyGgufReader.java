package dev.quant4j.importance.imatrix;

import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only GGUF reader over trusted files, standing in for the registry's GGUF format (which this module must
 * not depend on): the engine hands the calibrator a {@link dev.quant4j.api.spi.ModelOpener} backed by it.
 */
final class TinyGgufReader implements ModelReader {
    private final Path path;
    private final byte[] bytes;
    private final Metadata metadata;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private final long dataOffset;

    TinyGgufReader(Path path) throws IOException {
        this.path = path;
        this.bytes = Files.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747) {
            throw new IOException(path + " is not GGUF");
        }
        b.getInt();
        long nTensors = b.getLong();
        long nKv = b.getLong();
        List<Metadata.Entry> kv = new ArrayList<>();
        for (long i = 0; i < nKv; i++) {
            String key = string(b);
            kv.add(new Metadata.Entry(key, value(b, MetaType.fromId(b.getInt()).orElseThrow())));
        }
        metadata = new Metadata(kv);
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
        dataOffset = (b.position() + 31) / 32 * 32;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public ContainerInfo container() {
        return new ContainerInfo("gguf", 3, 32, dataOffset, List.of(path));
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public TensorView view(TensorInfo t) {
        MemorySegment all = MemorySegment.ofArray(bytes);
        return new TensorView(t.name(), t.type(), t.shape(), all.asSlice(dataOffset + t.offset(), t.byteSize()));
    }

    @Override
    public void close() {
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[(int) b.getLong()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static MetaValue value(ByteBuffer b, MetaType t) {
        return switch (t) {
            case UINT8, INT8 -> new MetaValue.Int(t, b.get());
            case BOOL -> new MetaValue.Bool(b.get() != 0);
            case UINT16, INT16 -> new MetaValue.Int(t, b.getShort());
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
