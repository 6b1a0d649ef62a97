package dev.quant4j.gguf.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-assembles GGUF bytes for tests, independent of the production encoder; every field is explicit. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static RawGguf header(long version, long tensors, long kvs) {
        return new RawGguf().bytes('G', 'G', 'U', 'F').u32(version).u64(tensors).u64(kvs);
    }

    RawGguf bytes(int... b) {
        for (int x : b) {
            out.write(x);
        }
        return this;
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    RawGguf u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.writeBytes(b);
        return this;
    }

    /** A key followed by a uint32 value. */
    RawGguf kvU32(String key, long value) {
        return str(key).u32(4).u32(value);
    }

    /** A key followed by a string value. */
    RawGguf kvStr(String key, String value) {
        return str(key).u32(8).str(value);
    }

    /** A tensor info: name, dims (ne[0] first), ggml type id, offset. */
    RawGguf tensor(String name, long type, long offset, long... ne) {
        str(name).u32(ne.length);
        for (long d : ne) {
            u64(d);
        }
        return u32(type).u64(offset);
    }

    /** Zeros up to the next multiple of {@code alignment}. */
    RawGguf pad(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    RawGguf zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
