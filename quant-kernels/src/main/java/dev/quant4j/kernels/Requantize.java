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

    /**
     * {@link #symmetric} for {@code blocks} consecutive blocks of {@code len} values, block {@code b} at
     * {@code x[xOff + b*len ..]} and {@code L[lOff + b*len ..]} with its own step {@code dj[djOff + b]}; a block whose
     * step is 0 is skipped (its levels and restored values are left as they are). With {@code restored} non-null,
     * also writes the decoded values {@code dj * (level - bias)} (the block decoder's product, int level to float)
     * at {@code restored[rOff + b*len ..]}.
     */
    public static void symmetricBlocks(float[] x, int xOff, int blocks, int len, float[] dj, int djOff, int lo,
                                       int hi, int bias, byte[] L, int lOff, float[] restored, int rOff) {
        if (Vectorization.enabled()) {
            Gates.REQUANTIZE_BLOCKS.whole(blocks * len, vector -> {
                if (vector) {
                    VectorRequantize.symmetricBlocks(x, xOff, blocks, len, dj, djOff, lo, hi, bias, L, lOff, restored,
                            rOff);
                } else {
                    symmetricBlocksScalar(x, xOff, blocks, len, dj, djOff, lo, hi, bias, L, lOff, restored, rOff);
                }
                return null;
            });
            return;
        }
        symmetricBlocksScalar(x, xOff, blocks, len, dj, djOff, lo, hi, bias, L, lOff, restored, rOff);
    }

    /** The scalar form of {@link #symmetricBlocks}: {@link #symmetricScalar} per block with a step. */
    public static void symmetricBlocksScalar(float[] x, int xOff, int blocks, int len, float[] dj, int djOff, int lo,
                                             int hi, int bias, byte[] L, int lOff, float[] restored, int rOff) {
        for (int b = 0; b < blocks; b++) {
            float d = dj[djOff + b];
            if (d == 0) {
                continue;
            }
            int o = b * len;
            symmetricScalar(x, xOff + o, len, d, lo, hi, bias, L, lOff + o);
            for (int i = 0; restored != null && i < len; i++) {
                restored[rOff + o + i] = d * ((L[lOff + o + i] & 0xFF) - bias);   // the level, as stored unsigned
            }
        }
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
