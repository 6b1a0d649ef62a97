package dev.quant4j.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** {@code Requantize} with lane-wise IEEE division and the bit-exact {@code nearest_int}; scalar tail. */
public final class VectorRequantize {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(V * 8));

    private VectorRequantize() {
    }

    public static void affine(float[] x, int xOff, int count, float dm, float dj, int nmax, byte[] L, int lOff) {
        int i = 0;
        if (count >= V) {
            FloatVector vdm = FloatVector.broadcast(S, dm);
            FloatVector vdj = FloatVector.broadcast(S, dj);
            for (; i <= count - V; i += V) {
                IntVector l = Levels.nearestInt(FloatVector.fromArray(S, x, xOff + i).add(vdm).div(vdj)).max(0).min(nmax);
                ((ByteVector) l.convertShape(VectorOperators.I2B, B, 0)).intoArray(L, lOff + i);
            }
        }
        for (; i < count; i++) {
            int l = Levels.nearestInt((x[xOff + i] + dm) / dj);
            L[lOff + i] = (byte) Math.max(0, Math.min(nmax, l));
        }
    }

    public static void symmetric(float[] x, int xOff, int count, float dj, int lo, int hi, int bias, byte[] L,
                                 int lOff) {
        int i = 0;
        if (count >= V) {
            FloatVector vdj = FloatVector.broadcast(S, dj);
            for (; i <= count - V; i += V) {
                IntVector l = Levels.nearestInt(FloatVector.fromArray(S, x, xOff + i).div(vdj)).max(lo).min(hi).add(bias);
                ((ByteVector) l.convertShape(VectorOperators.I2B, B, 0)).intoArray(L, lOff + i);
            }
        }
        for (; i < count; i++) {
            int l = Levels.nearestInt(x[xOff + i] / dj);
            L[lOff + i] = (byte) (Math.max(lo, Math.min(hi, l)) + bias);
        }
    }

    /** As {@code Requantize.symmetricBlocks}: per block its step broadcast, a scalar tail past whole vectors. */
    public static void symmetricBlocks(float[] x, int xOff, int blocks, int len, float[] dj, int djOff, int lo, int hi,
                                       int bias, byte[] L, int lOff, float[] restored, int rOff) {
        for (int b = 0; b < blocks; b++) {
            float d = dj[djOff + b];
            if (d == 0) {
                continue;
            }
            int o = b * len;
            int i = 0;
            if (len >= V) {
                FloatVector vd = FloatVector.broadcast(S, d);
                for (; i <= len - V; i += V) {
                    IntVector l = Levels.nearestInt(FloatVector.fromArray(S, x, xOff + o + i).div(vd)).max(lo).min(hi);
                    ((ByteVector) l.add(bias).convertShape(VectorOperators.I2B, B, 0)).intoArray(L, lOff + o + i);
                    if (restored != null) {
                        vd.mul((FloatVector) l.convert(VectorOperators.I2F, 0)).intoArray(restored, rOff + o + i);
                    }
                }
            }
            for (; i < len; i++) {
                int l = Math.max(lo, Math.min(hi, Levels.nearestInt(x[xOff + o + i] / d)));
                L[lOff + o + i] = (byte) (l + bias);
                if (restored != null) {
                    restored[rOff + o + i] = d * l;
                }
            }
        }
    }
}
