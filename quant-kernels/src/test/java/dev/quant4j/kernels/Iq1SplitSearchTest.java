package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.kernels.vector.VectorCodebookArgmin;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * IQ1_S's split search: the scalar reference must be ggml's loop of {@code quantize_row_iq1_s_impl} written out
 * literally (whole expressions per split, running best from −FLT_MAX, strict {@code >}), and the 16-lane form
 * must give every lane the scalar answer, bit for bit, on sorted random values, ties, zero weights, zero
 * sub-blocks, mixed signs and partial groups.
 */
class Iq1SplitSearchTest {
    private static final float DELTA = 0.125f;
    private static final float[] XP = {-1 + DELTA, DELTA, 1 + DELTA};
    private static final float[] XM = {-1 - DELTA, -DELTA, 1 - DELTA};
    private static final int N = 32;
    private static final int L = Iq1SplitSearch.LANES;

    /** Result of one lane: i1, i2, shift, scale bits. */
    private record Split(int i1, int i2, int shift, int scaleBits) {
    }

    /** ggml's loop over one lane's prefix sums, as written upstream. */
    private static Split literal(float[] sumx, float[] sumw, int l) {
        float[] sx = new float[N + 1];
        float[] sw = new float[N + 1];
        for (int j = 0; j <= N; j++) {
            sx[j] = sumx[L * j + l];
            sw[j] = sumw[L * j + l];
        }
        float bestScore = -Float.MAX_VALUE;
        float scale = 0;
        int bi1 = -1;
        int bi2 = -1;
        int shift = 0;
        for (int i1 = 0; i1 <= N; i1++) {
            for (int i2 = i1; i2 <= N; i2++) {
                float sumqx = (sx[i1] - sx[0]) * XP[0] + (sx[i2] - sx[i1]) * XP[1] + (sx[N] - sx[i2]) * XP[2];
                float sumq2 = (sw[i1] - sw[0]) * XP[0] * XP[0] + (sw[i2] - sw[i1]) * XP[1] * XP[1]
                        + (sw[N] - sw[i2]) * XP[2] * XP[2];
                if (sumq2 > 0 && sumqx * sumqx > bestScore * sumq2) {
                    scale = sumqx / sumq2;
                    bestScore = scale * sumqx;
                    bi1 = i1;
                    bi2 = i2;
                    shift = 1;
                }
                sumqx = (sx[i1] - sx[0]) * XM[0] + (sx[i2] - sx[i1]) * XM[1] + (sx[N] - sx[i2]) * XM[2];
                sumq2 = (sw[i1] - sw[0]) * XM[0] * XM[0] + (sw[i2] - sw[i1]) * XM[1] * XM[1]
                        + (sw[N] - sw[i2]) * XM[2] * XM[2];
                if (sumq2 > 0 && sumqx * sumqx > bestScore * sumq2) {
                    scale = sumqx / sumq2;
                    bestScore = scale * sumqx;
                    bi1 = i1;
                    bi2 = i2;
                    shift = -1;
                }
            }
        }
        return shift == 0 ? new Split(0, 0, 0, 0) : new Split(bi1, bi2, shift, Float.floatToRawIntBits(scale));
    }

    /** Prefix sums of 16 sub-blocks of one kind, sorted ascending as the quantizer sorts them. */
    private static void fill(SplittableRandom r, int kind, float[] sumx, float[] sumw) {
        for (int l = 0; l < L; l++) {
            float[] v = new float[N];
            float[] w = new float[N];
            for (int i = 0; i < N; i++) {
                v[i] = switch (kind) {
                    case 0 -> (float) (r.nextGaussian() * 0.02);
                    case 1 -> 0.01f * (r.nextInt(5) - 2); // many ties
                    case 2 -> 0f; // zero sub-block
                    case 3 -> (float) Math.abs(r.nextGaussian()); // one sign
                    default -> r.nextInt(3) == 0 ? 0f : (float) (r.nextGaussian() * 1e-3);
                };
                w[i] = switch (kind) {
                    case 1 -> 0.5f;
                    case 4 -> r.nextInt(4) == 0 ? 0f : (float) r.nextDouble();
                    default -> (float) (0.05 + r.nextDouble() * 2);
                };
            }
            Integer[] order = new Integer[N];
            for (int i = 0; i < N; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(v[a] == 0 ? 0f : v[a], v[b] == 0 ? 0f : v[b]));
            float sx = 0;
            float sw = 0;
            sumx[l] = 0;
            sumw[l] = 0;
            for (int j = 0; j < N; j++) {
                sx += w[order[j]] * v[order[j]];
                sw += w[order[j]];
                sumx[L * (j + 1) + l] = sx;
                sumw[L * (j + 1) + l] = sw;
            }
        }
    }

    private static Split[] run(Iq1SplitSearch s, int lanes, float[] sumx, float[] sumw) {
        int[] i1 = new int[L];
        int[] i2 = new int[L];
        int[] shift = new int[L];
        float[] scale = new float[L];
        s.search(lanes, sumx, sumw, i1, i2, shift, scale);
        Split[] out = new Split[lanes];
        for (int l = 0; l < lanes; l++) {
            out[l] = shift[l] == 0 ? new Split(0, 0, 0, 0)
                    : new Split(i1[l], i2[l], shift[l], Float.floatToRawIntBits(scale[l]));
        }
        return out;
    }

    @Test
    void scalarReferenceIsGgmlsLoop() {
        SplittableRandom r = new SplittableRandom(3);
        float[] sumx = new float[L * (N + 1)];
        float[] sumw = new float[L * (N + 1)];
        for (int c = 0; c < 200; c++) {
            fill(r, c % 5, sumx, sumw);
            Split[] got = run(Iq1SplitSearch.scalar(N, XP, XM), L, sumx, sumw);
            for (int l = 0; l < L; l++) {
                assertEquals(literal(sumx, sumw, l), got[l], "case " + c + " lane " + l);
            }
        }
    }

    @Test
    void zeroSubBlockHasNoSplit() {
        float[] sumx = new float[L * (N + 1)];
        float[] sumw = new float[L * (N + 1)];
        Split[] got = run(Iq1SplitSearch.scalar(N, XP, XM), L, sumx, sumw);
        assertEquals(new Split(0, 0, 0, 0), got[5]);
    }

    @Test
    void lanesGiveTheScalarAnswer() {
        assumeTrue(Vectorization.enabled() && VectorCodebookArgmin.supported(),
                "no 16-lane vectors here (run with --add-modules jdk.incubator.vector on AVX-512): scalar only");
        SplittableRandom r = new SplittableRandom(5);
        float[] sumx = new float[L * (N + 1)];
        float[] sumw = new float[L * (N + 1)];
        Iq1SplitSearch vector = Iq1SplitSearch.create(N, XP, XM);
        Iq1SplitSearch scalar = Iq1SplitSearch.scalar(N, XP, XM);
        for (int c = 0; c < 600; c++) {
            fill(r, c % 5, sumx, sumw);
            int lanes = c % 3 == 0 ? r.nextInt(1, L + 1) : L;
            assertEquals(Arrays.asList(run(scalar, lanes, sumx, sumw)), Arrays.asList(run(vector, lanes, sumx, sumw)),
                    "case " + c + ", " + lanes + " lanes");
        }
    }
}
