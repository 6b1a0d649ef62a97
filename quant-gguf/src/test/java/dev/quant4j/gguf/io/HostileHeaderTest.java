package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.UnsupportedFormatVersionException;
import dev.quant4j.api.spi.ModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of the reader, broken once by a hand-made file: the exception names file, offset and field. */
class HostileHeaderTest {
    private static final int F32 = 0;
    private static final int Q4_K = 12;

    @TempDir
    Path tmp;

    private int n;

    private CorruptFormatException corrupt(RawGguf g, long offset, String field, String problem) throws Exception {
        return fails(CorruptFormatException.class, g.toBytes(), offset, field, problem);
    }

    private <E extends CorruptFormatException> E fails(Class<E> type, byte[] bytes, long offset, String field,
                                                       String problem) throws Exception {
        Path f = tmp.resolve("case" + n++ + ".gguf");
        Files.write(f, bytes);
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> GgufFiles.FORMAT.open(f).close());
        assertEquals(type, e.getClass(), e.getMessage());
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString() + ": corrupt at byte " + offset + " (")
                && m.contains(field) && m.contains(problem), m);
        assertEquals(offset, e.offset());
        assertEquals(f, e.file());
        return type.cast(e);
    }

    /** A valid header with one key so far; the caller appends tensors. */
    private static RawGguf oneKey(long tensors) {
        return RawGguf.header(3, tensors, 1).kvStr("general.architecture", "llama");
    }

    @Test
    void magicAndVersion() throws Exception {
        corrupt(new RawGguf(), 0, "magic", "too short");
        corrupt(new RawGguf().bytes('G', 'G', 'U', 'X').u32(3).u64(0).u64(0), 0, "magic", "not a GGUF file");
        corrupt(RawGguf.header(0, 0, 0), 4, "version", "version 0");
        fails(UnsupportedFormatVersionException.class, RawGguf.header(1, 0, 0).toBytes(), 4, "version",
                "version 1 is not supported");
        fails(UnsupportedFormatVersionException.class, RawGguf.header(2, 0, 0).toBytes(), 4, "version",
                "version 2 is not supported");
        fails(UnsupportedFormatVersionException.class, RawGguf.header(4, 0, 0).toBytes(), 4, "version", "newer");
        fails(UnsupportedFormatVersionException.class, RawGguf.header(0x0300_0000L, 0, 0).toBytes(), 4, "version",
                "big-endian");
        corrupt(new RawGguf().bytes('G', 'G', 'U', 'F', 3, 0), 4, "version", "file ends");
    }

    @Test
    void countsAndLengths() throws Exception {
        corrupt(RawGguf.header(3, 1L << 62, 0), 8, "tensor_count", "exceeds");
        corrupt(RawGguf.header(3, -1, 0), 8, "tensor_count", "18446744073709551615");
        corrupt(RawGguf.header(3, 0, 1L << 40), 16, "kv_count", "exceeds");
        corrupt(RawGguf.header(3, 3, 1000), 16, "kv_count", "need at least");
        corrupt(RawGguf.header(3, 0, 1).u64(1L << 40).zeros(40), 24, "metadata key #0", "exceeds the limit");
        corrupt(RawGguf.header(3, 0, 1).u64(1_000_000).zeros(40), 24, "metadata key #0", "bytes left");
        corrupt(RawGguf.header(3, 0, 1).str("k").u32(8).u64(-1).zeros(8), 37, "value of 'k'", "exceeds");
        corrupt(RawGguf.header(3, 0, 1).str("k").u32(9).u32(4).u64(1L << 31).zeros(8), 41, "value of 'k'",
                "array count");
        corrupt(RawGguf.header(3, 0, 1).str("k").u32(9).u32(4).u64(1000).zeros(8), 41, "value of 'k'",
                "needs at least 4000 bytes");
        corrupt(RawGguf.header(3, 0, 1).str("k").u32(9).u32(8).u64(2).str("a").u64(99), 58, "value of 'k'",
                "bytes left");
    }

    @Test
    void values() throws Exception {
        corrupt(RawGguf.header(3, 0, 1).str("k").u32(13).u32(0), 33, "value of 'k' type", "unknown metadata value type 13");
        corrupt(RawGguf.header(3, 0, 1).str("k").u32(9).u32(77).u64(0), 37, "value of 'k' element type", "type 77");
        corrupt(RawGguf.header(3, 0, 1).str("k").u32(7).u8(2), 37, "value of 'k'", "bool byte is 2");
        corrupt(RawGguf.header(3, 0, 2).kvU32("k", 1).kvU32("k", 2), 41, "metadata key #1", "duplicate key 'k'");
        corrupt(RawGguf.header(3, 0, 1).u64(2).bytes(0xC3, 0x28).u32(4).u32(0), 24, "metadata key #0", "UTF-8");
        RawGguf deep = RawGguf.header(3, 0, 1).str("k").u32(9);
        for (int i = 0; i < 100; i++) {
            deep.u32(9).u64(1);
        }
        corrupt(deep.u32(4).u64(0), 37 + 12 * 7, "value of 'k'", "nested more than 8 deep");
    }

    @Test
    void alignment() throws Exception {
        corrupt(RawGguf.header(3, 0, 1).str("general.alignment").u32(5).u32(32), 24, "general.alignment",
                "must be a uint32, found int32");
        corrupt(RawGguf.header(3, 0, 1).kvU32("general.alignment", 48), 24, "general.alignment", "not a power of two");
        corrupt(RawGguf.header(3, 0, 1).kvU32("general.alignment", 0), 24, "general.alignment", "not a power of two");
    }

    @Test
    void tensorInfos() throws Exception {
        int at = oneKey(1).size();
        corrupt(oneKey(1).str("t").u32(0), at + 9, "tensor 't' n_dims", "must be 1..4");
        corrupt(oneKey(1).str("t").u32(5), at + 9, "tensor 't' n_dims", "must be 1..4");
        corrupt(oneKey(1).tensor("t", F32, 0, 4, 0), at + 21, "tensor 't' ne[1]", "empty tensors");
        corrupt(oneKey(1).tensor("t", F32, 0, -4), at + 13, "tensor 't' ne[0]", "negative");
        corrupt(oneKey(1).tensor("t", 43, 0, 4), at + 21, "tensor 't' type", "unknown ggml type id 43");
        corrupt(oneKey(1).tensor("t", 4, 0, 4), at + 21, "tensor 't' type", "(Q4_2) was removed");
        corrupt(oneKey(1).tensor("t", 31, 0, 4), at + 21, "tensor 't' type", "(Q4_0_4_4) was removed");
        corrupt(oneKey(1).tensor("t", Q4_K, 0, 100, 2), at + 9, "tensor 't' ne[0]", "not a multiple of 256");
        corrupt(oneKey(1).tensor("t", F32, 0, 1L << 40, 1L << 40), at + 9, "tensor 't' ne", "overflows");
        String longName = "n".repeat(64);
        corrupt(oneKey(1).tensor(longName, F32, 0, 4), at, "name of tensor #0", "at most 63");
        corrupt(oneKey(2).tensor("t", F32, 0, 8).tensor("t", F32, 32, 8), at + 33, "name of tensor #1",
                "duplicate tensor name 't'");
    }

    @Test
    void tensorData() throws Exception {
        int at = oneKey(2).size();
        int off1 = at + 25; // where tensor 'a''s offset field starts
        int off2 = at + 33 + 25;
        // a valid pair: 8 floats each, so offsets 0 and 32
        RawGguf ok = oneKey(2).tensor("a", F32, 0, 8).tensor("b", F32, 32, 8).pad(32).zeros(64);
        try (ModelReader r = GgufFiles.FORMAT.open(write(ok.toBytes()))) {
            assertEquals(2, r.tensors().size());
        }
        corrupt(oneKey(2).tensor("a", F32, 0, 8).tensor("b", F32, 16, 8).pad(32).zeros(64), off2,
                "tensor 'b' offset", "not a multiple of the alignment 32");
        corrupt(oneKey(2).tensor("a", F32, 0, 8).tensor("b", F32, 0, 8).pad(32).zeros(64), off2,
                "tensor 'b' offset", "overlaps");
        corrupt(oneKey(2).tensor("a", F32, 0, 8).tensor("b", F32, 64, 8).pad(32).zeros(96), off2,
                "tensor 'b' offset", "expected 32");
        corrupt(oneKey(2).tensor("a", F32, 32, 8).tensor("b", F32, 0, 8).pad(32).zeros(64), off1,
                "tensor 'a' offset", "expected 0");
        corrupt(oneKey(2).tensor("a", F32, 0, 8).tensor("b", F32, 32, 8).pad(32).zeros(63), off2,
                "tensor 'b' offset", "runs past the end");
        corrupt(oneKey(1).tensor("a", F32, 0, 8), oneKey(1).tensor("a", F32, 0, 8).size(), "data section",
                "truncated");
        // the padding after the last tensor may be missing (llama.cpp maps it without reading it)
        byte[] unpadded = oneKey(2).tensor("a", F32, 0, 8).tensor("b", F32, 32, 1).pad(32).zeros(36).toBytes();
        try (ModelReader r = GgufFiles.FORMAT.open(write(unpadded))) {
            assertEquals(4, r.view(r.tensors().get(1)).data().byteSize());
        }
    }

    private Path write(byte[] bytes) throws Exception {
        Path f = tmp.resolve("ok" + n++ + ".gguf");
        Files.write(f, bytes);
        return f;
    }
}
