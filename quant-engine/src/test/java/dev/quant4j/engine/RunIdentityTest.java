package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's run identity: checksums, what a changed input looks like, journals of older versions. */
class RunIdentityTest {
    private static final int MB = 1 << 20;

    /** CRC-32C in the high half, CRC-32 in the low half, both computed here by the JDK's classes. */
    @Test
    void checksumIsBothCrcsOfTheBytes() {
        byte[] b = "plan: 75 tensors\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        CRC32C c = new CRC32C();
        c.update(b);
        CRC32 d = new CRC32();
        d.update(b);
        assertEquals(String.format("crc:%08x%08x", c.getValue(), d.getValue()), RunIdentity.checksum(b));
        assertEquals("crc:0000000000000000", RunIdentity.checksum(new byte[0]));
    }

    /** A byte changed in the header or in a sampled block (same size and mtime) is seen; the same file matches. */
    @Test
    void changedSampledByteIsContentDiffers(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("in.gguf");
        byte[] data = new byte[3 * MB + 12345];
        new SplittableRandom(7).nextBytes(data);
        Files.write(f, data);
        FileTime mtime = Files.getLastModifiedTime(f);
        RunIdentity first = RunIdentity.of(List.of(f), null, "o", "p");
        assertTrue(first.mismatch(RunIdentity.of(List.of(f), null, "o", "p").lines()).isEmpty());
        // offset 0 (header) and a byte inside sampled 4 KiB block 40 of 64 (beyond the 1 MB header)
        long second = (data.length - 4096L) / 63 * 40 + 100;
        assertTrue(second > MB);
        for (long at : new long[] {0, second}) {
            flip(f, at);
            Files.setLastModifiedTime(f, mtime);
            String why = RunIdentity.of(List.of(f), null, "o", "p").mismatch(first.lines()).orElseThrow();
            assertEquals("input file " + f.toAbsolutePath() + " changed since the interrupted run (content differs)",
                    why, "byte " + at);
            flip(f, at);
        }
        assertNotEquals(first.lines(), RunIdentity.of(List.of(f), null, "o", "p2").lines());
    }

    /** Journals of versions that wrote SHA-256 digests are refused as such, not as a changed input. */
    @Test
    void journalOfOlderVersionIsNamedSo(@TempDir Path tmp) throws IOException {
        Path f = Files.write(tmp.resolve("in.gguf"), new byte[4096]);
        RunIdentity now = RunIdentity.of(List.of(f), null, "o", "p");
        List<String> old = new ArrayList<>();
        for (String line : now.lines()) {
            String[] t = line.split("\t");
            t[t.length - 1] = t[0].equals("input") || t[0].equals("plan") ? "ab".repeat(32) : t[t.length - 1];
            old.add(String.join("\t", t));
        }
        assertEquals("the interrupted run was journaled by another quant4j version", now.mismatch(old).orElseThrow());
        List<String> oldPlan = new ArrayList<>(now.lines());
        oldPlan.set(oldPlan.size() - 1, "plan\t" + "cd".repeat(32));
        assertEquals("the interrupted run was journaled by another quant4j version", now.mismatch(oldPlan).orElseThrow());
    }

    private static void flip(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) ~b.get(0));
            b.rewind();
            ch.write(b, at);
        }
    }
}
