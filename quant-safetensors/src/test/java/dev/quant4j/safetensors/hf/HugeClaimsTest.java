package dev.quant4j.safetensors.hf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.safetensors.io.SafetensorsReader;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * Every parser of a Hugging Face checkpoint refuses a header claiming a huge length or count at once, before
 * allocating for it: the safetensors header length and tensor sizes, the shard index, config.json /
 * tokenizer.json, and tokenizer.model's protobuf lengths. Files that claim gigabytes are sparse, so the test costs
 * nothing on disk.
 */
class HugeClaimsTest {
    private static final long MAX_ALLOCATED = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void safetensorsHeaderLengthAndTensorSize() throws Exception {
        Path f = dir.resolve("a.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 62).array());
        refused(() -> SafetensorsReader.open(f), "a.safetensors", "header length");
        String header = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,4611686018427387904]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Files.write(f, ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array());
        refused(() -> SafetensorsReader.open(f), "a.safetensors", "tensor 't'");
    }

    @Test
    void hugeIndexIsRefusedBySize() throws Exception {
        Path index = sparse("model.safetensors.index.json", 2L << 30);
        refused(() -> SafetensorsReader.open(index), "model.safetensors.index.json", "index");
    }

    @Test
    void hugeJsonFilesAreRefusedBySize() throws Exception {
        Path tok = sparse("tokenizer.json", 1L << 30);
        refused(() -> JsonFiles.read(tok), "tokenizer.json", "more than");
    }

    @Test
    void tokenizerModelLengthsAndSize() throws Exception {
        // field 1 (pieces), wire type 2, length varint 2^62: a piece "longer" than any file
        byte[] piece = {0x0A, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, 0x40, 'x'};
        Path spm = dir.resolve("tokenizer.model");
        Files.write(spm, piece);
        refused(() -> SpmModel.read(spm), "tokenizer.model", "runs past the end");
        // a 10-byte varint with the sign bit set (2^64 - 1): negative as a long, still past the end (fuzzing found it)
        Files.write(spm, new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01, 'x'});
        refused(() -> SpmModel.read(spm), "tokenizer.model", "length 18446744073709551615 runs past the end");
        Path huge = sparse("big/tokenizer.model", 1L << 30);
        refused(() -> SpmModel.read(huge), "tokenizer.model", "not a plausible vocabulary");
    }

    private Path sparse(String name, long size) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write('{');
            f.setLength(size);
        }
        return p;
    }

    private static void refused(Executable parse, String file, String field) {
        long before = allocated();
        long t0 = System.nanoTime();
        CorruptFormatException e = assertThrows(CorruptFormatException.class, parse);
        long bytes = allocated() - before;
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused at once: " + e.getMessage());
        assertTrue(bytes < MAX_ALLOCATED, "allocated " + bytes + " bytes for: " + e.getMessage());
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(field), e.getMessage());
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
