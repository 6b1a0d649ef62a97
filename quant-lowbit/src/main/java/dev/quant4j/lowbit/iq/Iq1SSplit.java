package dev.quant4j.lowbit.iq;

import static dev.quant4j.lowbit.iq.Iq1SQuantizer.X_M;
import static dev.quant4j.lowbit.iq.Iq1SQuantizer.X_P;

/**
 * The exhaustive split search of IQ1_S (spec §8.8 steps 3–4) over the prefix sums of the sorted values.
 * Per split (i1, i2) ggml evaluates {@code (a·v0 + b·v1) + c·v2} and {@code (wa·v0·v0 + wb·v1·v1) + wc·v2·v2}
 * for both shift tables; the products that depend on i1 only or on i2 only are the same for every partner
 * and are computed once here, the additions stay in ggml's order. One instance per quantize call.
 */
final class Iq1SSplit {
    private final float[] sumx = new float[33];
    private final float[] sumw = new float[33];
    private final float[] tailXp = new float[33];
    private final float[] tailWp = new float[33];
    private final float[] tailXm = new float[33];
    private final float[] tailWm = new float[33];
    int bestI1;
    int bestI2;
    int bestShift;
    float scale;

    /** Searches the 32 values {@code x[xb ..]} in sorted {@code order}; true when a split qualified. */
    boolean search(float[] x, int xb, float[] weight, int[] order, float max) {
        for (int j = 0; j < 32; j++) {
            int i = order[j];
            sumx[j + 1] = sumx[j] + weight[i] * x[xb + i];
            sumw[j + 1] = sumw[j] + weight[i];
        }
        float p0 = X_P[0];
        float p1 = X_P[1];
        float p2 = X_P[2];
        float m0 = X_M[0];
        float m1 = X_M[1];
        float m2 = X_M[2];
        for (int i2 = 0; i2 <= 32; i2++) {
            float c = sumx[32] - sumx[i2];
            float wc = sumw[32] - sumw[i2];
            tailXp[i2] = c * p2;
            tailWp[i2] = wc * p2 * p2;
            tailXm[i2] = c * m2;
            tailWm[i2] = wc * m2 * m2;
        }
        float bestScore = -Float.MAX_VALUE;
        scale = max;
        bestShift = 0;
        for (int i1 = 0; i1 <= 32; i1++) {
            float a = sumx[i1] - sumx[0];
            float wa = sumw[i1] - sumw[0];
            float headXp = a * p0;
            float headWp = wa * p0 * p0;
            float headXm = a * m0;
            float headWm = wa * m0 * m0;
            for (int i2 = i1; i2 <= 32; i2++) {
                float b = sumx[i2] - sumx[i1];
                float wb = sumw[i2] - sumw[i1];
                float sumqx = headXp + b * p1 + tailXp[i2];
                float sumq2 = headWp + wb * p1 * p1 + tailWp[i2];
                if (sumq2 > 0 && sumqx * sumqx > bestScore * sumq2) {
                    scale = sumqx / sumq2;
                    bestScore = scale * sumqx;
                    record(i1, i2, 1);
                }
                sumqx = headXm + b * m1 + tailXm[i2];
                sumq2 = headWm + wb * m1 * m1 + tailWm[i2];
                if (sumq2 > 0 && sumqx * sumqx > bestScore * sumq2) {
                    scale = sumqx / sumq2;
                    bestScore = scale * sumqx;
                    record(i1, i2, -1);
                }
            }
        }
        return bestShift != 0;
    }

    private void record(int i1, int i2, int shift) {
        bestI1 = i1;
        bestI2 = i2;
        bestShift = shift;
    }
}
