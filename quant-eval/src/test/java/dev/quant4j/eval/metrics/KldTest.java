package dev.quant4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base file format, its 16-bit compression, and the KL-divergence statistics against independent computations. */
class KldTest {
    @TempDir
    Path dir;

    @Test
    void nearestIntRoundsHalfToEven() {
        for (float x : new float[] {0f, 0.49f, 0.5f, 1.5f, 2.5f, 65534.5f, 65535f, 12345.678f, 3.5f}) {
            assertEquals((int) Math.rint(x), CompressedLogProbs.nearestInt(x), "x = " + x);
        }
    }

    @Test
    void compressionFollowsLogSoftmaxWithMinimumClampedAtMaxMinus16() {
        float[] logits = {2f, -30f, 1f, 0.5f, -13.9f};      // -30 is more than 16 below the max
        ByteBuffer b = ByteBuffer.allocate((int) CompressedLogProbs.rowBytes(5)).order(ByteOrder.LITTLE_ENDIAN);
        float nll = CompressedLogProbs.encode(logits, 0, 5, 2, b);
        assertEquals(2 * (2 * 3 + 4), b.position());        // odd vocabulary: one padding code
        double z = 0;
        for (float l : logits) {
            z += Math.exp(l - 2.0);
        }
        double logZ = 2.0 + Math.log(z);
        assertEquals(logZ - 1.0, nll, 1e-5);
        b.flip();
        float scale = b.getFloat();
        float min = b.getFloat();
        assertEquals(16f / 65535f, scale, 1e-9f);            // max - (max - 16)
        assertEquals(2f - 16f - logZ, min, 1e-5);
        short[] codes = new short[6];
        b.asShortBuffer().get(codes);
        assertEquals(0, codes[1]);                           // clamped to the minimum
        assertEquals(0, codes[5]);                           // padding
        assertEquals(65535, codes[0] & 0xFFFF);              // the maximum
        for (int i = 0; i < 5; i++) {
            double exact = Math.max(logits[i], -14f) - logZ;
            assertEquals(exact, CompressedLogProbs.decode(scale, min, codes[i]), scale, "entry " + i);
        }
    }

    @Test
    void flatRowHasZeroScaleAndZeroCodes() {
        float[] logits = {1f, 1f, 1f, 1f};
        ByteBuffer b = ByteBuffer.allocate((int) CompressedLogProbs.rowBytes(4)).order(ByteOrder.LITTLE_ENDIAN);
        CompressedLogProbs.encode(logits, 0, 4, 0, b);
        b.flip();
        assertEquals(0f, b.getFloat());
        assertEquals((float) -Math.log(4), b.getFloat(), 1e-6f);
        for (int i = 0; i < 4; i++) {
            assertEquals(0, b.getShort());
        }
    }

    @Test
    void baseFileRoundTripsChunkByChunk() throws IOException {
        int nVocab = 7;
        int[] tokens = tokens(40, nVocab);
        ChunkPlan plan = ChunkPlan.of(tokens.length, 10, 3);
        Path file = dir.resolve("base.kld");
        List<float[]> chunkLogits = new ArrayList<>();
        try (KldBaseWriter w = KldBaseWriter.create(file, plan, nVocab, tokens)) {
            for (int k = 0; k < 3; k++) {
                float[] lg = Synthetic.logits(plan.input(tokens, k, 1), nVocab, 0f);
                chunkLogits.add(lg);
                double[] nll = w.writeChunk(lg, 0, plan.original(tokens, k));
                assertEquals(4, nll.length);                 // positions 5..8
            }
            assertTrue(Files.exists(dir.resolve("base.kld.tmp")));
            assertFalse(Files.exists(file));
            w.commit();
        }
        assertFalse(Files.exists(dir.resolve("base.kld.tmp")));
        // size: 8 + 12 + 4*30 token bytes + 3 chunks * 4 rows * (4 + 8) shorts
        assertEquals(20 + 120 + 3 * 4 * 2 * (4 + 8), Files.size(file));
        byte[] raw = Files.readAllBytes(file);
        assertEquals("_logits_", new String(raw, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        try (KldBaseReader r = KldBaseReader.open(file)) {
            assertEquals(plan, r.plan());
            assertEquals(nVocab, r.vocabSize());
            assertArrayEquals(java.util.Arrays.copyOf(tokens, 30), r.tokens());
            for (int k = 0; k < 3; k++) {
                BaseChunk c = r.nextChunk();
                for (int row = 0; row < 4; row++) {
                    ByteBuffer b = ByteBuffer.allocate((int) CompressedLogProbs.rowBytes(nVocab)).order(ByteOrder.LITTLE_ENDIAN);
                    CompressedLogProbs.encode(chunkLogits.get(k), (5 + row) * nVocab, nVocab, 0, b);
                    b.flip();
                    assertEquals(b.getFloat(), c.scale(row));
                    assertEquals(b.getFloat(), c.minLogProb(row));
                    for (int v = 0; v < nVocab; v++) {
                        assertEquals(b.getShort(), c.code(row, v));
                    }
                }
            }
            assertThrows(IOException.class, r::nextChunk);
        }
    }

    @Test
    void writerWithoutCommitLeavesNothing() throws IOException {
        int[] tokens = tokens(40, 5);
        Path file = dir.resolve("x.kld");
        try (KldBaseWriter w = KldBaseWriter.create(file, ChunkPlan.of(40, 10, -1), 5, tokens)) {
            w.writeChunk(Synthetic.logits(tokens, 5, 0f), 0, java.util.Arrays.copyOf(tokens, 10));
        }
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("x.kld.tmp")));
    }

    @Test
    void truncatedOrForeignFilesAreRefusedWithTheOffset() throws IOException {
        int[] tokens = tokens(40, 5);
        Path file = dir.resolve("b.kld");
        ChunkPlan plan = ChunkPlan.of(40, 10, -1);
        try (KldBaseWriter w = KldBaseWriter.create(file, plan, 5, tokens)) {
            for (int k = 0; k < plan.chunks(); k++) {
                w.writeChunk(Synthetic.logits(plan.input(tokens, k, 1), 5, 0f), 0, plan.original(tokens, k));
            }
            w.commit();
        }
        byte[] raw = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.kld");
        Files.write(cut, java.util.Arrays.copyOf(raw, raw.length - 3));
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> KldBaseReader.open(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path foreign = dir.resolve("foreign.kld");
        Files.write(foreign, "GGUF and more bytes than twenty".getBytes());
        e = assertThrows(CorruptFormatException.class, () -> KldBaseReader.open(foreign));
        assertTrue(e.getMessage().contains("_logits_"), e.getMessage());
    }

    @Test
    void percentilesInterpolateLikeLlamaCpp() {
        float[] v = {4f, 0f, 3f, 1f, 2f};
        Quantiles q = Quantiles.of(v, 5);
        assertEquals(4f, q.maximum());
        assertEquals(0f, q.minimum());
        assertEquals(2f, q.median());
        assertEquals(0.4f, (float) q.p10(), 1e-7f);           // p = 0.1 * 4 = 0.4 -> 0.6*0 + 0.4*1
        assertEquals(3.96f, (float) q.p99(), 1e-6f);          // p = 3.96 -> 0.04*3 + 0.96*4
        assertEquals(3f, q.p75());
        float[] even = {1f, 2f, 3f, 10f};
        assertEquals(2.5f, Quantiles.of(even, 4).median());
    }

    @Test
    void identicalModelHasNearZeroDivergence() throws IOException {
        Result r = runBoth(0f);
        KldStatistics s = r.stats;
        assertEquals(1.0, s.sameTop().value());
        assertTrue(Math.abs(s.kld().value()) < 2e-4, "KLD " + s.kld().value());   // only the 16-bit rounding
        assertEquals(r.ppl.perplexity(), s.perplexity().value(), 1e-5 * r.ppl.perplexity());
        assertEquals(r.ppl.perplexity(), s.basePerplexity().value(), 1e-3 * r.ppl.perplexity());
        assertEquals(1.0, s.correlation(), 1e-3);
    }

    @Test
    void divergenceMatchesAnIndependentDoubleComputation() throws IOException {
        Result r = runBoth(1.5f);
        // independent: exact softmaxes in double, KL(base || candidate), same-top and Δp per scored token
        double kl = 0;
        double dp = 0;
        double dp2 = 0;
        int same = 0;
        int n = 0;
        for (int k = 0; k < r.plan.chunks(); k++) {
            int[] in = r.plan.input(r.tokens, k, 1);
            float[] p = Synthetic.logits(in, V, 0f);
            float[] q = Synthetic.logits(in, V, 1.5f);
            for (int j = r.plan.first(); j < r.plan.nCtx() - 1; j++) {
                double[] lp = logSoftmax(p, j * V);
                double[] lq = logSoftmax(q, j * V);
                int tok = r.tokens[k * r.plan.nCtx() + j + 1];
                for (int i = 0; i < V; i++) {
                    kl += Math.exp(lp[i]) * (lp[i] - lq[i]);
                }
                double d = Math.exp(lq[tok]) - Math.exp(lp[tok]);
                dp += d;
                dp2 += d * d;
                same += argmax(lp) == argmax(lq) ? 1 : 0;
                n++;
            }
        }
        KldStatistics s = r.stats;
        assertEquals(n, s.tokens());
        assertEquals(kl / n, s.kld().value(), 3e-4);
        assertEquals(dp / n, s.deltaP().value(), 1e-4);
        assertEquals(Math.sqrt(dp2 / n), s.rmsDeltaP().value(), 1e-4);
        assertEquals((double) same / n, s.sameTop().value(), 1.5 / n);
        assertTrue(s.kld().value() > 0.01, "the noisy model diverges: " + s.kld().value());
        assertTrue(s.kldQuantiles().maximum() >= s.kldQuantiles().p99() && s.kldQuantiles().p99() >= s.kldQuantiles().median());
    }

    @Test
    void reportAndTableHaveLlamaPerplexitysLayout() throws IOException {
        Result r = runBoth(1.5f);
        Path log = dev.quant4j.tck.SharedData.require("reference/eval/kld/tiny-shakespeare-256-Q8_0.kld.log");
        List<String> ref = Files.readAllLines(log);
        int start = ref.indexOf("====== Perplexity statistics ======");
        List<String> refBlock = ref.subList(start, lastNonEmpty(ref) + 1);
        List<String> ours = r.stats.report();
        assertEquals(refBlock.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            assertEquals(shape(refBlock.get(i)), shape(ours.get(i)), "line " + i);
        }
        assertTrue(ref.contains(KldAccumulator.TABLE_HEADER));
        String refRow = ref.get(ref.indexOf(KldAccumulator.TABLE_HEADER) + 1);
        assertEquals(shape(refRow), shape(r.rows.getFirst()));
        assertEquals(refRow.indexOf('±'), r.rows.getFirst().indexOf('±'));   // %4d + %9.4lf columns line up
    }

    private static int lastNonEmpty(List<String> lines) {
        int i = lines.size() - 1;
        while (lines.get(i).isEmpty()) {
            i--;
        }
        return i;
    }

    /** A line with every number replaced by N, and runs of spaces collapsed. */
    private static String shape(String line) {
        return line.replaceAll("-?\\d+\\.\\d+", "N").replaceAll("^\\s*\\d+", "N").replaceAll(" +", " ");
    }

    private static final int V = 16;

    private record Result(ChunkPlan plan, int[] tokens, PerplexityResult ppl, KldStatistics stats, List<String> rows) {
    }

    /** Base run (perplexity + base file) with noise 0, then the candidate with {@code noise} against it. */
    private Result runBoth(float noise) throws IOException {
        int[] tokens = tokens(2000, V);
        ChunkPlan plan = ChunkPlan.of(tokens.length, 64, 10);
        Path base = dir.resolve("m.kld");
        PerplexityResult ppl = new PerplexityRun(plan, 1, ChunkListener.NONE).run(tokens, source(0f), base);
        List<String> rows = new ArrayList<>();
        try (KldBaseReader r = KldBaseReader.open(base)) {
            KldStatistics s = new KldRun(1, (c, n, ns, text) -> rows.add(text)).run(r, source(noise));
            assertEquals(10, rows.size());
            return new Result(plan, tokens, ppl, s, rows);
        }
    }

    private static LogitsSource source(float noise) {
        return new LogitsSource() {
            @Override
            public int vocabSize() {
                return V;
            }

            @Override
            public float[] logits(int[] t) {
                return Synthetic.logits(t, V, noise);
            }
        };
    }

    private static int[] tokens(int n, int nVocab) {
        int[] t = new int[n];
        long s = 42;
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            t[i] = (int) ((s >>> 33) % nVocab);
        }
        t[0] = 1;
        return t;
    }

    private static double[] logSoftmax(float[] l, int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < V; i++) {
            max = Math.max(max, l[off + i]);
        }
        double z = 0;
        for (int i = 0; i < V; i++) {
            z += Math.exp(l[off + i] - max);
        }
        double[] out = new double[V];
        for (int i = 0; i < V; i++) {
            out[i] = l[off + i] - max - Math.log(z);
        }
        return out;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
