package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of GPTQ's {@code RankUpdate}: {@code w[c] -= Σ_i e[i] · u[i][c]}. Four {@code u} rows are
 * combined per pass with fused multiply-adds into one accumulator before {@code w} is loaded and stored, so
 * {@code w} moves once per four rows instead of once per row; the tail of {@code c} is scalar.
 */
public final class VectorRankUpdate {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorRankUpdate() {
    }

    public static void update(float[] w, int wOff, float[] e, int eOff, int k, float[] u, int uOff, int uStride,
                              int n) {
        int i = 0;
        for (; i + 4 <= k; i += 4) {
            float e0 = e[eOff + i];
            float e1 = e[eOff + i + 1];
            float e2 = e[eOff + i + 2];
            float e3 = e[eOff + i + 3];
            int u0 = uOff + i * uStride;
            int u1 = u0 + uStride;
            int u2 = u1 + uStride;
            int u3 = u2 + uStride;
            FloatVector v0 = FloatVector.broadcast(S, e0);
            FloatVector v1 = FloatVector.broadcast(S, e1);
            FloatVector v2 = FloatVector.broadcast(S, e2);
            FloatVector v3 = FloatVector.broadcast(S, e3);
            int c = 0;
            for (; c + L <= n; c += L) {
                FloatVector acc = FloatVector.fromArray(S, u, u0 + c).mul(v0);
                acc = FloatVector.fromArray(S, u, u1 + c).fma(v1, acc);
                acc = FloatVector.fromArray(S, u, u2 + c).fma(v2, acc);
                acc = FloatVector.fromArray(S, u, u3 + c).fma(v3, acc);
                FloatVector.fromArray(S, w, wOff + c).sub(acc).intoArray(w, wOff + c);
            }
            for (; c < n; c++) {
                w[wOff + c] -= e0 * u[u0 + c] + e1 * u[u1 + c] + e2 * u[u2 + c] + e3 * u[u3 + c];
            }
        }
        for (; i < k; i++) {
            float ei = e[eOff + i];
            if (ei == 0f) {
                continue;
            }
            int ui = uOff + i * uStride;
            FloatVector vi = FloatVector.broadcast(S, ei);
            int c = 0;
            for (; c + L <= n; c += L) {
                FloatVector.fromArray(S, u, ui + c).mul(vi).neg().add(FloatVector.fromArray(S, w, wOff + c))
                        .intoArray(w, wOff + c);
            }
            for (; c < n; c++) {
                w[wOff + c] -= ei * u[ui + c];
            }
        }
    }
}
