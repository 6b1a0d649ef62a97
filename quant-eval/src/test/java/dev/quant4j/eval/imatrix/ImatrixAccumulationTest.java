package dev.quant4j.eval.imatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama-imatrix's accumulation rules on hand-computed cases, and the file rules for partial data. */
class ImatrixAccumulationTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ImatrixAccumulationTest.class.getClassLoader());

    @TempDir
    Path dir;

    @Test
    void denseSumsSquaresPerColumnAndCountsRows() {
        Imatrix m = new Imatrix(2);
        m.addDense("blk.0.attn_q.weight", new float[] {1, 2, 3, -1, 0.5f, -2}, 2, 3);
        m.addDense("blk.0.attn_q.weight", new float[] {2, 0, 1}, 1, 3);
        ImatrixEntry e = m.entries().get("blk.0.attn_q.weight");
        assertArrayEquals(new float[] {1 + 1 + 4, 4 + 0.25f + 0, 9 + 4 + 1}, e.sums());
        assertArrayEquals(new long[] {3}, e.counts());
        assertEquals(1, m.chunkCount());                   // 3 rows / chunk size 2
    }

    @Test
    void routedInputsGoToTheirExpertsWithPerExpertCounts() {
        Imatrix m = new Imatrix(100);
        // 3 tokens, top-2 of 3 experts, one shared input row per token (gate/up): xSlots = 1
        float[] x = {1, 2, /* t1 */ 3, 4, /* t2 */ 5, 6};
        int[] ids = {0, 2, /* t1 */ 2, 1, /* t2 */ 0, 1};
        m.addRouted("blk.0.ffn_up_exps.weight", 3, x, 3, 1, 2, ids, 2);
        ImatrixEntry e = m.entries().get("blk.0.ffn_up_exps.weight");
        assertArrayEquals(new long[] {2, 2, 2}, e.counts());
        assertArrayEquals(new float[] {1 + 25, 4 + 36, /* e1 */ 9 + 25, 16 + 36, /* e2 */ 1 + 9, 4 + 16}, e.sums());
        // down: each slot its own input row (xSlots = nUsed)
        float[] gated = {1, 0, /* t0 s1 */ 0, 1, /* t1 s0 */ 2, 0, /* t1 s1 */ 0, 2, /* t2 s0 */ 3, 0, /* t2 s1 */ 0, 3};
        m.addRouted("blk.0.ffn_down_exps.weight", 3, gated, 3, 2, 2, ids, 2);
        ImatrixEntry d = m.entries().get("blk.0.ffn_down_exps.weight");
        assertArrayEquals(new float[] {1 + 9, 0, /* e1 */ 0, 4 + 9, /* e2 */ 4, 1}, d.sums());
    }

    @Test
    void routedAccumulationRunsSlotBySlotLikeLlamaImatrix() {
        // expert 0 gets 1 (token 0, slot 1), 1 (token 1, slot 1) and 2^12 (token 2, slot 0): slot order adds
        // 2^24 first, after which each +1 rounds away in float; token order would give 2^24 + 2
        Imatrix m = new Imatrix(512);
        float[] x = {1, 1, 4096};
        int[] ids = {1, 0, /* t1 */ 1, 0, /* t2 */ 0, 1};
        m.addRouted("blk.0.ffn_gate_exps.weight", 2, x, 3, 1, 1, ids, 2);
        assertEquals(16777216f, m.entries().get("blk.0.ffn_gate_exps.weight").sums()[0]);
    }

    @Test
    void collectorFiltersLikeLlamaImatrix() {
        Imatrix m = new Imatrix(512);
        ImatrixCollector c = new ImatrixCollector(m, false);
        c.dense("blk.0.attn_k.weight", new float[15 * 2], 15, 2);      // fewer than 16 rows: ignored
        c.dense("output.weight", new float[16 * 2], 16, 2);            // output without --process-output
        c.dense("token_embd.weight", new float[16 * 2], 16, 2);
        c.dense("blk.1.attn_k.weight", new float[16 * 2], 16, 2);
        assertEquals(List.of("blk.1.attn_k.weight"), List.copyOf(m.entries().keySet()));
        ImatrixCollector withOutput = new ImatrixCollector(m, true);
        withOutput.dense("output.weight", new float[16 * 2], 16, 2);
        c.routed("blk.0.ffn_up_exps.weight", 2, new float[2], 1, 1, 2, new int[] {1}, 1);  // always collected
        assertEquals(List.of("blk.0.ffn_up_exps.weight", "blk.1.attn_k.weight", "output.weight"),
                List.copyOf(m.entries().keySet()));
    }

    @Test
    void nonFiniteActivationsAreRefusedNamingTheWeight() {
        Imatrix m = new Imatrix(512);
        QuantException e = assertThrows(QuantException.class,
                () -> m.addDense("blk.2.ffn_down.weight", new float[] {Float.NaN, 1}, 1, 2));
        assertTrue(e.getMessage().contains("blk.2.ffn_down.weight"), e.getMessage());
        assertThrows(QuantException.class, () -> m.addDense("blk.2.ffn_up.weight", new float[] {1e30f, 1}, 1, 2));
    }

    @Test
    void partialMoeDataIsKeptInGgufAndNeutralInDat() throws IOException {
        Imatrix m = new Imatrix(4);
        m.promptFile("calib.txt");
        // expert 1 never chosen; an entry with no data at all is skipped in .dat only
        m.addRouted("blk.0.ffn_up_exps.weight", 2, new float[] {2, 2, 2, 2, 2}, 5, 1, 1, new int[] {0, 0, 0, 0, 0}, 1);
        m.merge(new ImatrixFile(new java.util.TreeMap<>(java.util.Map.of("blk.0.ffn_down.weight",
                ImatrixEntry.of(new float[] {0, 0}, new long[] {0}))), List.of("old.txt"), 0, 4, false));
        assertEquals(1, m.chunkCount());                     // 5 / 4
        Path dat = dir.resolve("p.dat");
        ImatrixFiles.save(m, dat, ImatrixFiles.Format.DAT, REGISTRY);
        ByteArrayOutputStream exp = new ByteArrayOutputStream();
        int32(exp, 1);
        byte[] name = "blk.0.ffn_up_exps.weight".getBytes();
        int32(exp, name.length);
        exp.writeBytes(name);
        int32(exp, 2);                                       // ncall = ceil(5 / 4)
        int32(exp, 2);
        f32(exp, (20f / 5f) * 2f);                           // expert 0: mean 4, times ncall
        f32(exp, 1f * 2f);                                   // expert 1: no data -> 1 * ncall
        int32(exp, 1);                                       // chunk count
        int32(exp, 9);
        exp.writeBytes("calib.txt".getBytes());
        assertArrayEquals(exp.toByteArray(), Files.readAllBytes(dat));

        Path gguf = dir.resolve("p.gguf");
        ImatrixFiles.save(m, gguf, ImatrixFiles.Format.GGUF, REGISTRY);
        assertFalse(Files.exists(dir.resolve("p.gguf.tmp")));
        ImatrixFile back = ImatrixFiles.load(gguf, REGISTRY);
        assertEquals(List.of("old.txt", "calib.txt"), back.datasets());
        assertEquals(1, back.chunkCount());
        assertEquals(4, back.chunkSize());
        assertArrayEquals(new long[] {5, 0}, back.entries().get("blk.0.ffn_up_exps.weight").counts());
        assertArrayEquals(new long[] {0}, back.entries().get("blk.0.ffn_down.weight").counts());
    }

    @Test
    void denseCountMergedIntoPerExpertCountsIsBroadcast() {
        Imatrix m = new Imatrix(10);
        m.merge(new ImatrixFile(new java.util.TreeMap<>(java.util.Map.of("w", ImatrixEntry.of(new float[] {1, 1}, new long[] {7}))),
                List.of(), 0, 10, false));
        m.merge(new ImatrixFile(new java.util.TreeMap<>(java.util.Map.of("w", ImatrixEntry.of(new float[] {1, 1}, new long[] {1, 2}))),
                List.of(), 0, 10, false));
        assertArrayEquals(new long[] {8, 9}, m.entries().get("w").counts());
        assertThrows(QuantException.class, () -> m.merge(new ImatrixFile(new java.util.TreeMap<>(
                java.util.Map.of("w", ImatrixEntry.of(new float[] {1, 1, 1}, new long[] {1}))), List.of(), 0, 10, false)));
    }

    @Test
    void hostileDatFilesFailWithTheOffset() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int32(b, 1);
        int32(b, 3);
        b.writeBytes("abc".getBytes());
        int32(b, 1);
        int32(b, 1_000_000);                                 // far more values than bytes
        f32(b, 1);
        Path f = dir.resolve("bad.dat");
        Files.write(f, b.toByteArray());
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> ImatrixFiles.load(f, REGISTRY));
        assertTrue(e.getMessage().contains("byte 15"), e.getMessage());
        Path empty = dir.resolve("empty.dat");
        Files.write(empty, new byte[] {0, 0, 0, 0});
        assertThrows(CorruptFormatException.class, () -> ImatrixFiles.load(empty, REGISTRY));
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void f32(ByteArrayOutputStream out, float v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
    }
}
