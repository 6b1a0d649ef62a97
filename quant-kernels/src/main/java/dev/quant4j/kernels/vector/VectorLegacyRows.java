package dev.quant4j.kernels.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code dev.quant4j.kernels.LegacyRows} with the 32 values of a block spread over 32 / V lanes. Every element goes through the
 * same IEEE single operations as the scalar reference (multiply, then add; Java casts for F2I and I2B);
 * the block's amax, min and max are order-free reductions, and the signed max of the symmetric types is
 * taken from the first lane whose magnitude equals the amax, exactly the element the scalar scan keeps.
 */
public final class VectorLegacyRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(V * 8));
    private static final int QK = 32;

    private VectorLegacyRows() {
    }

    public static void q8_0(float[] x, int xOff, int n, byte[] out, int off) {
        for (int c = xOff, o = off; c < xOff + n; c += QK, o += 34) {
            FloatVector a = FloatVector.fromArray(S, x, c).abs();
            for (int k = V; k < QK; k += V) {
                a = a.max(FloatVector.fromArray(S, x, c + k).abs());
            }
            float amax = a.reduceLanes(VectorOperators.MAX);
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            putHalf(out, o, d);
            for (int k = 0; k < QK; k += V) {
                // C lroundf as Rounding.lroundf: t + (int) ((v - t) * 2)
                FloatVector v = FloatVector.fromArray(S, x, c + k).mul(id);
                IntVector t = (IntVector) v.convert(VectorOperators.F2I, 0);
                FloatVector tf = (FloatVector) t.convert(VectorOperators.I2F, 0);
                IntVector r = t.add((IntVector) v.sub(tf).mul(2f).convert(VectorOperators.F2I, 0));
                bytes(r).intoArray(out, o + 2 + k);
            }
        }
    }

    /** With {@code restored} not null also the decoded row at {@code restored[rOff ..]} (see LegacyRows). */
    public static void symmetric(int bits, float[] x, int xOff, int n, byte[] out, int off, float[] restored,
                                 int rOff) {
        int nmax = 1 << (bits - 1);
        int qmax = 2 * nmax - 1;
        float bias = nmax + 0.5f;
        int qs = bits == 4 ? 2 : 6;
        for (int c = xOff, o = off; c < xOff + n; c += QK, o += qs + 16) {
            FloatVector a = FloatVector.fromArray(S, x, c).abs();
            for (int k = V; k < QK; k += V) {
                a = a.max(FloatVector.fromArray(S, x, c + k).abs());
            }
            float amax = a.reduceLanes(VectorOperators.MAX);
            // the scalar scan keeps max = +0 unless some |x| exceeds 0, then the first x with |x| == amax
            float max = 0;
            if (amax > 0) {
                for (int k = 0; k < QK; k += V) {
                    int i = FloatVector.fromArray(S, x, c + k).abs().compare(VectorOperators.EQ, amax).firstTrue();
                    if (i < V) {
                        max = x[c + k + i];
                        break;
                    }
                }
            }
            float d = max / -nmax;
            float id = d != 0 ? 1 / d : 0;
            float dh = putHalf(out, o, d);
            int qh = 0;
            for (int k = 0; k < QK / 2; k += V) {
                IntVector lo = symmetricLevels(x, c + k, id, bias, qmax);
                IntVector hi = symmetricLevels(x, c + 16 + k, id, bias, qmax);
                qh |= pack(lo, hi, out, o + qs + k) << k;
                if (restored != null) { // the stored levels, as the block decoder reads them
                    int r = rOff + c - xOff + k;
                    restoredLevels(lo, qmax, nmax, dh).intoArray(restored, r);
                    restoredLevels(hi, qmax, nmax, dh).intoArray(restored, r + 16);
                }
            }
            if (bits == 5) {
                putInt(out, o + 2, qh);
            }
        }
    }

    public static void affine(int bits, float[] x, int xOff, int n, byte[] out, int off) {
        int qmax = (1 << bits) - 1;
        int qs = bits == 4 ? 4 : 8;
        for (int c = xOff, o = off; c < xOff + n; c += QK, o += qs + 16) {
            FloatVector lo = FloatVector.fromArray(S, x, c);
            FloatVector hi = lo;
            for (int k = V; k < QK; k += V) {
                FloatVector v = FloatVector.fromArray(S, x, c + k);
                lo = lo.min(v);
                hi = hi.max(v);
            }
            float min = lo.reduceLanes(VectorOperators.MIN);
            float max = hi.reduceLanes(VectorOperators.MAX);
            if (min == 0 || max == 0) {
                // the scalar scan's choice between -0 and +0 depends on order (and -0 reaches the fp16 min)
                min = Float.MAX_VALUE;
                max = -Float.MAX_VALUE;
                for (int j = 0; j < QK; j++) {
                    float v = x[c + j];
                    if (v < min) {
                        min = v;
                    }
                    if (v > max) {
                        max = v;
                    }
                }
            }
            float d = (max - min) / qmax;
            float id = d != 0 ? 1 / d : 0;
            putHalf(out, o, d);
            putHalf(out, o + 2, min);
            int cap = bits == 4 ? 15 : Integer.MAX_VALUE;
            int qh = 0;
            for (int k = 0; k < QK / 2; k += V) {
                IntVector l0 = affineLevels(x, c + k, min, id, cap);
                IntVector l1 = affineLevels(x, c + 16 + k, min, id, cap);
                qh |= pack(l0, l1, out, o + qs + k) << k;
            }
            if (bits == 5) {
                putInt(out, o + 4, qh);
            }
        }
    }

    /** {@code min(qmax, (int) (x * id + bias))} per lane. */
    private static IntVector symmetricLevels(float[] x, int at, float id, float bias, int qmax) {
        FloatVector v = FloatVector.fromArray(S, x, at).mul(id).add(bias);
        return ((IntVector) v.convert(VectorOperators.F2I, 0)).min(qmax);
    }

    /** {@code ((l & qmax) - nmax) * dh} per lane, in the decoder's int-to-float order. */
    private static FloatVector restoredLevels(IntVector l, int qmax, int nmax, float dh) {
        return ((FloatVector) l.and(qmax).sub(nmax).convert(VectorOperators.I2F, 0)).mul(dh);
    }

    /** {@code min(cap, (int) ((x - min) * id + 0.5f))} per lane. */
    private static IntVector affineLevels(float[] x, int at, float min, float id, int cap) {
        FloatVector v = FloatVector.fromArray(S, x, at).sub(min).mul(id).add(0.5f);
        return ((IntVector) v.convert(VectorOperators.F2I, 0)).min(cap);
    }

    /**
     * Stores the nibble pairs {@code lo & 15 | (hi & 15) << 4} at {@code qs} and returns the fifth bits of these
     * lanes as two bit groups: lane j of lo at bit j, lane j of hi at bit j + 16.
     */
    private static int pack(IntVector lo, IntVector hi, byte[] out, int qs) {
        bytes(lo.and(15).or(hi.and(15).lanewise(VectorOperators.LSHL, 4))).intoArray(out, qs);
        long l = lo.and(16).compare(VectorOperators.NE, 0).toLong();
        long h = hi.and(16).compare(VectorOperators.NE, 0).toLong();
        return (int) (l | h << 16);
    }

    /**
     * As {@code LittleEndian.putHalf}: ggml's fp16 rounding (NaN, which finite input never gives, to 0x7E00); returns
     * the stored value as a float.
     */
    private static float putHalf(byte[] b, int off, float v) {
        short h = Float.isNaN(v) ? (short) (0x7E00 | ((Float.floatToRawIntBits(v) >>> 16) & 0x8000))
                : Float.floatToFloat16(v);
        b[off] = (byte) h;
        b[off + 1] = (byte) (h >> 8);
        return Float.float16ToFloat(h);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }

    /** The low byte of every lane (a Java {@code (byte)} cast). */
    private static ByteVector bytes(IntVector v) {
        return (ByteVector) v.convertShape(VectorOperators.I2B, B, 0);
    }
}
