package dev.quant4j.lowbit.simple;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough of GGUF v3 (spec/gguf.md) to find tensors in the reference files: skips every metadata value
 * except {@code general.alignment}. Test-only; the real reader lives in quant-gguf, which plugins may not use.
 */
final class MiniGguf {
    private final Map<String, TensorView> tensors = new LinkedHashMap<>();

    private MiniGguf() {
    }

    static MiniGguf read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747) {
            throw new IOException(file + ": not GGUF");
        }
        b.getInt();
        long nTensors = b.getLong();
        long nKv = b.getLong();
        long alignment = 32;
        for (long i = 0; i < nKv; i++) {
            String key = string(b);
            int type = b.getInt();
            if (key.equals("general.alignment")) {
                alignment = b.getInt() & 0xFFFFFFFFL;
            } else {
                skip(b, type);
            }
        }
        record Info(String name, Shape shape, DType type, long offset) {
        }
        Info[] infos = new Info[Math.toIntExact(nTensors)];
        for (int i = 0; i < infos.length; i++) {
            String name = string(b);
            long[] ne = new long[b.getInt()];
            for (int d = 0; d < ne.length; d++) {
                ne[d] = b.getLong();
            }
            infos[i] = new Info(name, Shape.of(ne), DType.fromId(b.getInt()).orElseThrow(), b.getLong());
        }
        long dataStart = (b.position() + alignment - 1) / alignment * alignment;
        MiniGguf g = new MiniGguf();
        MemorySegment all = MemorySegment.ofArray(b.array());
        for (Info t : infos) {
            long size = t.type.rowBytes(t.shape.rowLength()) * t.shape.rows();
            g.tensors.put(t.name, new TensorView(t.name, t.type, t.shape, all.asSlice(dataStart + t.offset, size)));
        }
        return g;
    }

    Map<String, TensorView> tensors() {
        return tensors;
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[Math.toIntExact(b.getLong())];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void skip(ByteBuffer b, int type) {
        switch (type) {
            case 0, 1, 7 -> b.position(b.position() + 1);
            case 2, 3 -> b.position(b.position() + 2);
            case 4, 5, 6 -> b.position(b.position() + 4);
            case 10, 11, 12 -> b.position(b.position() + 8);
            case 8 -> string(b);
            case 9 -> {
                int itemType = b.getInt();
                long n = b.getLong();
                for (long i = 0; i < n; i++) {
                    skip(b, itemType);
                }
            }
            default -> throw new IllegalStateException("GGUF value type " + type);
        }
    }
}
