package dev.quant4j.lowbit.iq;

import static dev.quant4j.lowbit.iq.Iq1SQuantizer.X_M;
import static dev.quant4j.lowbit.iq.Iq1SQuantizer.X_P;

/**
 * The exhaustive split search of IQ1_M (spec §8.9 step 2). For every split (i1, i2) of the 16 sorted values
 * and each of the four shift patterns k, ggml sums {@code (w·v)·x} and {@code (w·v)·v} over the sorted
 * positions 0..15 in order, restarting from zero for every split. The sums here are the same additions in
 * the same order, but shared: the level-0 prefix is reused for every i2 of an i1, the level-1 run is
 * extended one position per i2, and only the level-2 tail is added afresh. One instance per quantize call.
 */
final class Iq1MSplit {
    /** Per sorted position j and level l: the 4 pattern values of (w·v)·x then of (w·v)·v. */
    private final float[] table = new float[16 * 3 * 8];
    int bestI1;
    int bestI2;
    int bestK;
    float scale;

    /**
     * Searches the split of the 16 values {@code x[xb ..]} (weights {@code weight[wb ..]}, sorted order
     * {@code order}); on success leaves the winner in the fields and returns true.
     */
    boolean search(float[] x, int xb, float[] weight, int wb, int[] order, float max) {
        fill(x, xb, weight, wb, order);
        float[] t = table;
        float bestScore = -Float.MAX_VALUE;
        scale = max;
        bestK = -1;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (int i1 = 0; i1 <= 16; i1++) {
            if (i1 > 0) {
                int at = 24 * (i1 - 1);
                a0 += t[at];
                a1 += t[at + 1];
                a2 += t[at + 2];
                a3 += t[at + 3];
                a4 += t[at + 4];
                a5 += t[at + 5];
                a6 += t[at + 6];
                a7 += t[at + 7];
            }
            float b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4, b5 = a5, b6 = a6, b7 = a7;
            for (int i2 = i1; i2 <= 16; i2++) {
                if (i2 > i1) {
                    int at = 24 * (i2 - 1) + 8;
                    b0 += t[at];
                    b1 += t[at + 1];
                    b2 += t[at + 2];
                    b3 += t[at + 3];
                    b4 += t[at + 4];
                    b5 += t[at + 5];
                    b6 += t[at + 6];
                    b7 += t[at + 7];
                }
                float sx0 = b0, sx1 = b1, sx2 = b2, sx3 = b3, s20 = b4, s21 = b5, s22 = b6, s23 = b7;
                for (int j = i2; j < 16; j++) {
                    int at = 24 * j + 16;
                    sx0 += t[at];
                    sx1 += t[at + 1];
                    sx2 += t[at + 2];
                    sx3 += t[at + 3];
                    s20 += t[at + 4];
                    s21 += t[at + 5];
                    s22 += t[at + 6];
                    s23 += t[at + 7];
                }
                if (s20 > 0 && sx0 * sx0 > bestScore * s20) {
                    scale = sx0 / s20;
                    bestScore = scale * sx0;
                    record(i1, i2, 0);
                }
                if (s21 > 0 && sx1 * sx1 > bestScore * s21) {
                    scale = sx1 / s21;
                    bestScore = scale * sx1;
                    record(i1, i2, 1);
                }
                if (s22 > 0 && sx2 * sx2 > bestScore * s22) {
                    scale = sx2 / s22;
                    bestScore = scale * sx2;
                    record(i1, i2, 2);
                }
                if (s23 > 0 && sx3 * sx3 > bestScore * s23) {
                    scale = sx3 / s23;
                    bestScore = scale * sx3;
                    record(i1, i2, 3);
                }
            }
        }
        return bestK >= 0;
    }

    private void record(int i1, int i2, int k) {
        bestI1 = i1;
        bestI2 = i2;
        bestK = k;
    }

    /**
     * Pattern k gives the first group (original index < 8) x_p for k = 0, 1 and x_m for 2, 3; the second
     * group x_p for k = 0, 2 and x_m for 1, 3.
     */
    private void fill(float[] x, int xb, float[] weight, int wb, int[] order) {
        for (int j = 0; j < 16; j++) {
            int i = order[j];
            float w = weight[wb + i];
            float xv = x[xb + i];
            boolean first = i < 8;
            for (int l = 0; l < 3; l++) {
                float vp = X_P[l];
                float vm = X_M[l];
                float px = w * vp * xv;
                float mx = w * vm * xv;
                float p2 = w * vp * vp;
                float m2 = w * vm * vm;
                int at = 24 * j + 8 * l;
                table[at] = px;
                table[at + 1] = first ? px : mx;
                table[at + 2] = first ? mx : px;
                table[at + 3] = mx;
                table[at + 4] = p2;
                table[at + 5] = first ? p2 : m2;
                table[at + 6] = first ? m2 : p2;
                table[at + 7] = m2;
            }
        }
    }
}
