package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quant4j.kernels.vector.VectorCodebookArgmin;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code make_qp_quants}'s scale, 16 blocks side by side: the reference ({@link QpQuants}, one block at a time)
 * must be ggml's routine written out literally, and every lane of the vector form must give the reference's
 * scale bit for bit — on IQ2_XXS-like sub-blocks (|x| with one negative value per odd-parity group, so levels
 * wrap as unsigned bytes), ties, zero weights, zero and near-zero blocks, partial groups.
 */
class QpBatchTest {
    private static final int N = 32;
    private static final int NMAX = 4;

    /** ggml's make_qp_quants as written upstream (uint8_t levels, nearest_int's float trick). */
    private static float literal(int n, int nmax, float[] x, int xo, float[] qw) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = max > x[xo + i] ? max : x[xo + i];
        }
        if (max < 1e-15f) {
            return 0;
        }
        int[] L = new int[n];
        float iscale = nmax / max;
        for (int i = 0; i < n; i++) {
            L[i] = nearest(iscale * x[xo + i]) & 0xFF;
        }
        float scale = 1 / iscale;
        float bestMse = 0;
        for (int i = 0; i < n; i++) {
            float diff = x[xo + i] - scale * L[i];
            bestMse += qw[xo + i] * diff * diff;
        }
        for (int is = -4; is <= 4; ++is) {
            if (is == 0) {
                continue;
            }
            float iscaleIs = (0.1f * is + nmax) / max;
            float scaleIs = 1 / iscaleIs;
            float mse = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.min(nmax, nearest(iscaleIs * x[xo + i]));
                float diff = x[xo + i] - scaleIs * l;
                mse += qw[xo + i] * diff * diff;
            }
            if (mse < bestMse) {
                bestMse = mse;
                iscale = iscaleIs;
            }
        }
        float sumlx = 0;
        float suml2 = 0;
        for (int i = 0; i < n; i++) {
            int l = Math.min(nmax, nearest(iscale * x[xo + i]));
            L[i] = l & 0xFF;
            sumlx += qw[xo + i] * x[xo + i] * l;
            suml2 += qw[xo + i] * l * l;
        }
        for (int itry = 0; itry < 5; ++itry) {
            int nChanged = 0;
            for (int i = 0; i < n; i++) {
                float w = qw[xo + i];
                float slx = sumlx - w * x[xo + i] * L[i];
                float sl2 = suml2 - w * L[i] * L[i];
                if (slx > 0 && sl2 > 0) {
                    int newL = Math.min(nmax, nearest(x[xo + i] * sl2 / slx));
                    if (newL != L[i]) {
                        slx += w * x[xo + i] * newL;
                        sl2 += w * newL * newL;
                        if (slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[i] = newL & 0xFF;
                            sumlx = slx;
                            suml2 = sl2;
                            ++nChanged;
                        }
                    }
                }
            }
            if (nChanged == 0) {
                break;
            }
        }
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    private static int nearest(float v) {
        return (Float.floatToRawIntBits(v + 12582912f) & 0x007FFFFF) - 0x00400000;
    }

    private static void fill(SplittableRandom r, int kind, float[] x, float[] w) {
        for (int j = 0; j < QpBatch.LANES; j++) {
            int lane = kind == 4 ? r.nextInt(4) : kind; // mixed kinds across the lanes of a group
            for (int i = 0; i < N; i++) {
                int at = j * N + i;
                x[at] = switch (lane) {
                    case 0 -> (float) Math.abs(r.nextGaussian() * 0.02);
                    case 1 -> 0.01f * r.nextInt(4); // ties
                    case 2 -> r.nextInt(8) == 0 ? 1e-16f : 0f; // zero or below the threshold
                    default -> (float) Math.abs(r.nextGaussian());
                };
                if (r.nextInt(8) == 0) {
                    x[at] = -x[at]; // IQ2_XXS's parity flip: negative levels wrap
                }
                w[at] = switch (lane) {
                    case 1 -> 1f;
                    case 3 -> r.nextInt(3) == 0 ? 0f : (float) r.nextDouble();
                    default -> (float) (0.05 + 2 * r.nextDouble());
                };
            }
        }
    }

    @Test
    void referenceIsGgmlsRoutine() {
        SplittableRandom r = new SplittableRandom(21);
        float[] x = new float[QpBatch.LANES * N];
        float[] w = new float[QpBatch.LANES * N];
        float[] got = new float[QpBatch.LANES];
        QpBatch scalar = QpBatch.scalar(N);
        for (int c = 0; c < 400; c++) {
            fill(r, c % 5, x, w);
            scalar.make(QpBatch.LANES, NMAX, x, w, got);
            for (int j = 0; j < QpBatch.LANES; j++) {
                assertEquals(Float.floatToRawIntBits(literal(N, NMAX, x, j * N, w)), Float.floatToRawIntBits(got[j]),
                        "case " + c + " lane " + j);
            }
        }
    }

    @Test
    void lanesGiveTheReferenceScale() {
        assumeTrue(Vectorization.enabled() && VectorCodebookArgmin.supported(),
                "no 16-lane vectors here (run with --add-modules jdk.incubator.vector on AVX-512): scalar only");
        SplittableRandom r = new SplittableRandom(22);
        float[] x = new float[QpBatch.LANES * N];
        float[] w = new float[QpBatch.LANES * N];
        float[] want = new float[QpBatch.LANES];
        float[] got = new float[QpBatch.LANES];
        QpBatch scalar = QpBatch.scalar(N);
        QpBatch vector = QpBatch.create(N);
        for (int c = 0; c < 2000; c++) {
            fill(r, c % 5, x, w);
            int lanes = c % 3 == 0 ? r.nextInt(1, QpBatch.LANES + 1) : c % 3 == 1 ? 8 : QpBatch.LANES;
            java.util.Arrays.fill(got, Float.NaN);
            scalar.make(lanes, NMAX, x, w, want);
            vector.make(lanes, NMAX, x, w, got);
            for (int j = 0; j < lanes; j++) {
                assertEquals(Float.floatToRawIntBits(want[j]), Float.floatToRawIntBits(got[j]),
                        "case " + c + " lane " + j + " of " + lanes);
            }
        }
    }
}
