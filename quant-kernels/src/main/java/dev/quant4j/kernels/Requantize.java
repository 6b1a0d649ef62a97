package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorRequantize;

/**
 * The final pass of every k-quant: levels of a sub-block from its stored (fp16-rounded) scale and offset.
 * Scalar form here; the vector form ({@link VectorRequantize}) is lane-wise identical and used when enabled, once
 * the JIT has compiled it ({@link WarmGate}).
 */
public final class Requantize {
    private Requantize() {
    }

    /** {@code L[lOff + i] = clamp(nearest_int((x[xOff + i] + dm) / dj), 0, nmax)} for i in [0, count). */
    public static void affine(float[] x, int xOff, int count, float dm, float dj, int nmax, byte[] L, int lOff) {
        if (Vectorization.enabled()) {
            Gates.REQUANTIZE_AFFINE.whole(count, vector -> {
                if (vector) {
                    VectorRequantize.affine(x, xOff, count, dm, dj, nmax, L, lOff);
                } else {
                    affineScalar(x, xOff, count, dm, dj, nmax, L, lOff);
                }
                return null;
            });
            return;
        }
        affineScalar(x, xOff, count, dm, dj, nmax, L, lOff);
    }

    /** {@code L[lOff + i] = clamp(nearest_int(x[xOff + i] / dj), lo, hi) + bias} for i in [0, count). */
    public static void symmetric(float[] x, int xOff, int count, float dj, int lo, int hi, int bias, byte[] L,
                                 int lOff) {
        if (Vectorization.enabled()) {
            Gates.REQUANTIZE_SYMMETRIC.whole(count, vector -> {
                if (vector) {
                    VectorRequantize.symmetric(x, xOff, count, dj, lo, hi, bias, L, lOff);
                } else {
                    symmetricScalar(x, xOff, count, dj, lo, hi, bias, L, lOff);
                }
                return null;
            });
            return;
        }
        symmetricScalar(x, xOff, count, dj, lo, hi, bias, L, lOff);
    }

    public static void affineScalar(float[] x, int xOff, int count, float dm, float dj, int nmax, byte[] L,
                                    int lOff) {
        for (int i = 0; i < count; i++) {
            L[lOff + i] = (byte) Rounding.clamp(Rounding.nearestInt((x[xOff + i] + dm) / dj), 0, nmax);
        }
    }

    public static void symmetricScalar(float[] x, int xOff, int count, float dj, int lo, int hi, int bias,
                                       byte[] L, int lOff) {
        for (int i = 0; i < count; i++) {
            L[lOff + i] = (byte) (Rounding.clamp(Rounding.nearestInt(x[xOff + i] / dj), lo, hi) + bias);
        }
    }
}
