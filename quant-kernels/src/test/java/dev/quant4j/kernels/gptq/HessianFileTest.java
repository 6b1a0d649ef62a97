package dev.quant4j.kernels.gptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HessianFileTest {
    @TempDir
    Path dir;

    @Test
    void accumulatorEqualsTheDefinition() {
        Random rnd = new Random(1);
        int cols = 13;
        int tokens = 11; // not a multiple of the 4-row pass
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        HessianAccumulator acc = new HessianAccumulator(cols);
        acc.add(Arrays.copyOfRange(x, 0, 5 * cols), 5);
        acc.add(Arrays.copyOfRange(x, 5 * cols, tokens * cols), tokens - 5);
        assertEquals(tokens, acc.samples());
        assertArrayEquals(GptqSolverTest.hessian(x, tokens, cols), acc.hessian(), 1e-12);
    }

    @Test
    void roundTripsAndRefusesTruncation() throws IOException {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        a[0] = 1;
        b[31] = 2;
        var header = new HessianFile.Header(a, b, 256, 40, 10240);
        double[] h1 = {1, 2, 2, 5};
        double[] h2 = new double[9];
        h2[4] = 3;
        Path f = dir.resolve("h.q4jhes");
        try (var w = new HessianFile.Writer(f, header)) {
            w.add("blk.0.attn_q.weight", -1, 2, 100, h1);
            w.add("blk.0.ffn_down_exps.weight", 3, 3, 7, h2);
            w.commit();
        }
        assertFalse(Files.exists(dir.resolve("h.q4jhes.tmp")));
        try (HessianFile r = HessianFile.open(f)) {
            assertTrue(r.header().sameInputs(header));
            assertEquals(10240, r.header().tokens());
            assertArrayEquals(h1, r.hessian("blk.0.attn_q.weight", -1));
            assertArrayEquals(h2, r.hessian("blk.0.ffn_down_exps.weight", 3));
            assertEquals(7, r.samples("blk.0.ffn_down_exps.weight", 3));
            assertNull(r.hessian("blk.0.ffn_down_exps.weight", 2));
        }
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(all, all.length - 12));
        var e = assertThrows(IOException.class, () -> HessianFile.open(cut));
        assertTrue(e.getMessage().contains("truncated at offset"), e.getMessage());
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[200]);
        assertTrue(assertThrows(IOException.class, () -> HessianFile.open(junk)).getMessage().contains("magic"));
    }

    @Test
    void aCheckpointDirectoryHashesItsFilesByName() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        for (Path d : new Path[] {a, b}) {
            Files.writeString(d.resolve("config.json"), "{}");
            Files.write(d.resolve("model.safetensors"), new byte[] {1, 2, 3});
        }
        assertArrayEquals(HessianFile.sha256(a), HessianFile.sha256(b), "same files, same hash");
        Files.write(b.resolve("model.safetensors"), new byte[] {1, 2, 4});
        assertFalse(Arrays.equals(HessianFile.sha256(a), HessianFile.sha256(b)), "a changed byte changes it");
        Files.write(b.resolve("model.safetensors"), new byte[] {1, 2, 3});
        Files.move(b.resolve("config.json"), b.resolve("config2.json"));
        assertFalse(Arrays.equals(HessianFile.sha256(a), HessianFile.sha256(b)), "a renamed file changes it");
        Path single = dir.resolve("single.bin");
        Files.write(single, new byte[] {1, 2, 3});
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        assertArrayEquals(md.digest(new byte[] {1, 2, 3}), HessianFile.sha256(single), "a file: its bytes' SHA-256");
    }
}
