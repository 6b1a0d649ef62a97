package dev.quant4j.gguf.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists where the counts, lengths, type ids, dimensions and offsets of a valid GGUF header sit, so that tests
 * can corrupt exactly those fields. Written independently of the reader; it trusts its (valid) input.
 */
final class FieldWalker {
    /** A little-endian integer field: position, width in bytes (4 or 8), what it is. */
    record Field(int pos, int width, String what) {
    }

    private final ByteBuffer b;
    private final List<Field> fields = new ArrayList<>();

    private FieldWalker(byte[] bytes) {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Fields of the header, and (last) the position where the tensor infos end. */
    static List<Field> walk(byte[] bytes) {
        FieldWalker w = new FieldWalker(bytes);
        w.run();
        return w.fields;
    }

    private long u32(String what) {
        fields.add(new Field(b.position(), 4, what));
        return b.getInt() & 0xFFFF_FFFFL;
    }

    private long u64(String what) {
        fields.add(new Field(b.position(), 8, what));
        return b.getLong();
    }

    private void string(String what) {
        long len = u64(what + " length");
        b.position(b.position() + (int) len);
    }

    private void run() {
        b.position(4);
        u32("version");
        long tensors = u64("tensor_count");
        long kvs = u64("kv_count");
        for (long i = 0; i < kvs; i++) {
            string("key");
            value((int) u32("value type"));
        }
        for (long i = 0; i < tensors; i++) {
            string("tensor name");
            long dims = u32("n_dims");
            for (int d = 0; d < dims; d++) {
                u64("ne");
            }
            u32("ggml type");
            u64("tensor offset");
        }
        fields.add(new Field(b.position(), 0, "end of tensor infos"));
    }

    private void value(int type) {
        switch (type) {
            case 0, 1, 7 -> b.position(b.position() + 1);
            case 2, 3 -> b.position(b.position() + 2);
            case 4, 5, 6 -> b.position(b.position() + 4);
            case 10, 11, 12 -> b.position(b.position() + 8);
            case 8 -> string("string value");
            case 9 -> {
                int element = (int) u32("array element type");
                long n = u64("array count");
                for (long i = 0; i < n; i++) {
                    value(element);
                }
            }
            default -> throw new IllegalStateException("not a valid file: value type " + type);
        }
    }
}
