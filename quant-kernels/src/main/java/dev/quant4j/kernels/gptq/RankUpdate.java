package dev.quant4j.kernels.gptq;

import dev.quant4j.kernels.Vectorization;
import dev.quant4j.kernels.vector.VectorRankUpdate;

/**
 * GPTQ's error feedback into one row: {@code w[wOff + c] -= Σ_{i<k} e[eOff + i] · u[uOff + i·uStride + c]} for
 * {@code c < n} — with {@code k = 1} one column's feedback inside a lazy batch, with {@code k} = the batch width
 * the deferred rank-k update of the columns past the batch. {@link #scalar()} is the oracle (one axpy per
 * {@code i}, in order); {@link #create()} gives the Vector API form when {@link Vectorization#enabled()}, which sums
 * four {@code i} before subtracting (results agree to float rounding, not bit for bit).
 */
public interface RankUpdate {
    void update(float[] w, int wOff, float[] e, int eOff, int k, float[] u, int uOff, int uStride, int n);

    /** The fastest available implementation (stateless, thread safe). */
    static RankUpdate create() {
        return Vectorization.enabled() ? Vectorized.INSTANCE : scalar();
    }

    /** The plain-loop reference. */
    static RankUpdate scalar() {
        return (w, wOff, e, eOff, k, u, uOff, uStride, n) -> {
            for (int i = 0; i < k; i++) {
                float ei = e[eOff + i];
                if (ei == 0f) {
                    continue;
                }
                int ui = uOff + i * uStride;
                for (int c = 0; c < n; c++) {
                    w[wOff + c] -= ei * u[ui + c];
                }
            }
        };
    }

    /** Loaded only when the vector module is present. */
    final class Vectorized implements RankUpdate {
        static final Vectorized INSTANCE = new Vectorized();

        private Vectorized() {
        }

        @Override
        public void update(float[] w, int wOff, float[] e, int eOff, int k, float[] u, int uOff, int uStride, int n) {
            VectorRankUpdate.update(w, wOff, e, eOff, k, u, uOff, uStride, n);
        }
    }
}
