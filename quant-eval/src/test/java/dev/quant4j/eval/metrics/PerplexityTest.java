package dev.quant4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.api.error.QuantException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** llama-perplexity's chunking and scoring on cases computed by hand. */
class PerplexityTest {
    /** Two-token vocabulary: logits (0, ln 3) give p(1) = 3/4, p(0) = 1/4 at every position. */
    private static final float L3 = (float) Math.log(3);

    @Test
    void chunkPlanFollowsLlamaPerplexity() {
        ChunkPlan p = ChunkPlan.of(1882, 128, 20);
        assertEquals(14, p.chunks());             // stories260K: -c 128 --chunks 20 runs 14 chunks
        assertEquals(64, p.first());
        assertEquals(63, p.scoredPerChunk());
        assertEquals(127, ChunkPlan.of(70030, 256, -1).scoredPerChunk());
        assertEquals(273, ChunkPlan.of(70030, 256, -1).chunks());  // tiny-shakespeare -c 256: 273 chunks
        assertEquals(20, ChunkPlan.of(70030, 128, 20).chunks());
        QuantException e = assertThrows(QuantException.class, () -> ChunkPlan.of(255, 128, -1));
        assertEquals(true, e.getMessage().contains("at least 256 tokens"));
    }

    @Test
    void chunkInputStartsWithBosAndTargetsStayOriginal() {
        int[] tokens = {1, 5, 6, 7, 8, 9, 10, 11, 12};
        ChunkPlan p = ChunkPlan.of(tokens.length, 4, -1);
        assertEquals(2, p.chunks());
        assertArrayEquals(new int[] {1, 9, 10, 11}, p.input(tokens, 1, 1));
        assertArrayEquals(new int[] {8, 9, 10, 11}, p.original(tokens, 1));
        assertArrayEquals(new int[] {8, 9, 10, 11}, p.input(tokens, 1, -1));
    }

    @Test
    void scoresPositionsHalfToNctxMinusTwo() {
        // n_ctx 6: positions 3 and 4 are scored, predicting tokens 4 and 5
        ChunkPlan plan = new ChunkPlan(6, 2);
        PerplexityAccumulator acc = new PerplexityAccumulator(plan, 2);
        float[] logits = new float[6 * 2];
        for (int r = 0; r < 6; r++) {
            logits[2 * r + 1] = L3;
        }
        acc.addChunk(logits, 0, new int[] {0, 0, 0, 0, 1, 0});   // scored: p(1)=3/4, p(0)=1/4
        assertEquals(2, acc.count());
        double n1 = Math.log(4.0 / 3);
        double n2 = Math.log(4.0);
        assertEquals(Math.exp((n1 + n2) / 2), acc.runningPerplexity(), 1e-7);
        assertEquals("[1]" + String.format("%.4f", Math.exp((n1 + n2) / 2)) + ",", acc.progressEntry());
        // second chunk given from row 3 on only: targets 1, 1
        acc.addChunk(java.util.Arrays.copyOfRange(logits, 6, 12), 3, new int[] {0, 0, 0, 0, 1, 1});
        double[] v = {n1, n2, n1, n1};
        double mean = (v[0] + v[1] + v[2] + v[3]) / 4;
        double mean2 = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]) / 4;
        PerplexityResult r = acc.result();
        assertEquals(Math.exp(mean), r.perplexity(), 1e-7);
        assertEquals(Math.exp(mean) * Math.sqrt((mean2 - mean * mean) / 3), r.error(), 1e-7);
        assertEquals(4, r.tokens());
        assertEquals(2, r.chunks());
        assertEquals("Final estimate: PPL = " + CFormat.fixed(Math.exp(mean), 4) + " +/- "
                + CFormat.fixed(r.error(), 5), r.finalLine());
    }

    @Test
    void constantNllHasNoErrorEstimate() {
        ChunkPlan plan = new ChunkPlan(4, 1);
        PerplexityAccumulator acc = new PerplexityAccumulator(plan, 2);
        acc.addChunk(new float[8], 0, new int[] {0, 0, 1, 0});
        assertEquals(2.0, acc.result().perplexity(), 1e-12);   // uniform over 2 tokens
        assertEquals("Unexpected negative standard deviation of log(prob)", acc.result().finalLine());
    }

    @Test
    void nllIsTheLogSoftmaxOfTheTarget() {
        float[] row = {1.5f, -2f, 0.25f, 3f};
        double z = Math.exp(1.5) + Math.exp(-2) + Math.exp(0.25) + Math.exp(3);
        for (int t = 0; t < 4; t++) {
            assertEquals(Math.log(z) - row[t], LogSoftmax.nll(row, 0, 4, t), 1e-6);
            assertEquals(Math.log(z) - row[t], LogSoftmax.nllFloat(row, 0, 4, t), 1e-5);
        }
    }

    @Test
    void runFeedsBosChunksAndReportsProgress() {
        int[] tokens = new int[23];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 2 + i % 5;
        }
        tokens[0] = 1;
        List<int[]> seen = new ArrayList<>();
        LogitsSource model = new LogitsSource() {
            @Override
            public int vocabSize() {
                return 8;
            }

            @Override
            public float[] logits(int[] t) {
                seen.add(t.clone());
                return Synthetic.logits(t, 8, 0f);
            }
        };
        List<String> progress = new ArrayList<>();
        PerplexityResult r = new PerplexityRun(ChunkPlan.of(tokens.length, 8, 5), 1,
                (c, n, ns, text) -> progress.add(text)).run(tokens, model);
        assertEquals(2, seen.size());                       // floor(23 / 8) = 2 chunks
        assertArrayEquals(new int[] {1, 3, 4, 5, 6, 2, 3, 4}, seen.get(0));
        assertArrayEquals(new int[] {1, 6, 2, 3, 4, 5, 6, 2}, seen.get(1));
        assertEquals(2, progress.size());
        assertEquals(true, progress.get(1).startsWith("[2]"));
        // independent recomputation in double over the same rows: positions 4..6 of each chunk
        double sum = 0;
        int n = 0;
        for (int k = 0; k < 2; k++) {
            float[] lg = Synthetic.logits(seen.get(k), 8, 0f);
            for (int j = 4; j <= 6; j++) {
                double z = 0;
                for (int i = 0; i < 8; i++) {
                    z += Math.exp(lg[j * 8 + i]);
                }
                sum += Math.log(z) - lg[j * 8 + tokens[k * 8 + j + 1]];
                n++;
            }
        }
        assertEquals(Math.exp(sum / n), r.perplexity(), 1e-7 * r.perplexity()); // float expf inside
    }
}
