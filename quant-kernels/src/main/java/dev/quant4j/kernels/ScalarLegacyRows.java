package dev.quant4j.kernels;

/** The scalar reference of {@link LegacyRows}: quantize_row_{q8_0,q4_0,q5_0,q4_1,q5_1}_ref one block at a time. */
final class ScalarLegacyRows implements LegacyRows {
    static final ScalarLegacyRows INSTANCE = new ScalarLegacyRows();
    private static final int QK = 32;

    private ScalarLegacyRows() {
    }

    @Override
    public void q8_0(float[] x, int xOff, int n, byte[] out, int off) {
        for (int c = xOff, o = off; c < xOff + n; c += QK, o += 34) {
            float amax = 0;
            for (int j = 0; j < QK; j++) {
                // upstream MAX(amax, fabsf(x)); equal to Math.max here as |x| is never -0 and never NaN
                amax = Math.max(amax, Math.abs(x[c + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            LittleEndian.putHalf(out, o, d);
            for (int j = 0; j < QK; j++) {
                out[o + 2 + j] = (byte) Rounding.lroundf(x[c + j] * id);
            }
        }
    }

    @Override
    public void symmetric(int bits, float[] x, int xOff, int n, byte[] out, int off, float[] restored, int rOff) {
        int nmax = 1 << (bits - 1);
        int qmax = 2 * nmax - 1;
        float bias = nmax + 0.5f;
        int qs = bits == 4 ? 2 : 6;
        byte[] q = new byte[QK];
        for (int c = xOff, o = off; c < xOff + n; c += QK, o += qs + 16) {
            // the first element of largest magnitude gives the (signed) max
            float amax = 0;
            float max = 0;
            for (int j = 0; j < QK; j++) {
                float v = x[c + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -nmax;
            float id = d != 0 ? 1 / d : 0;
            float dh = LittleEndian.putHalf(out, o, d);
            for (int j = 0; j < QK; j++) {
                q[j] = (byte) Math.min(qmax, (int) (x[c + j] * id + bias));
            }
            pack(q, bits, out, o + 2, o + qs);
            if (restored != null) {
                for (int j = 0, r = rOff + c - xOff; j < QK; j++) {
                    restored[r + j] = ((q[j] & qmax) - nmax) * dh; // the stored level, as the decoder reads it
                }
            }
        }
    }

    @Override
    public void affine(int bits, float[] x, int xOff, int n, byte[] out, int off) {
        int qmax = (1 << bits) - 1;
        int qs = bits == 4 ? 4 : 8;
        byte[] q = new byte[QK];
        for (int c = xOff, o = off; c < xOff + n; c += QK, o += qs + 16) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = x[c + j];
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
            float d = (max - min) / qmax;
            float id = d != 0 ? 1 / d : 0;
            LittleEndian.putHalf(out, o, d);
            LittleEndian.putHalf(out, o + 2, min);
            for (int j = 0; j < QK; j++) {
                int l = (int) ((x[c + j] - min) * id + 0.5f);
                // Q4_1 clamps to 15; Q5_1 stores the level unclamped upstream (it cannot exceed 31 for finite input)
                q[j] = (byte) (bits == 4 ? Math.min(15, l) : l);
            }
            pack(q, bits, out, o + 4, o + qs);
        }
    }

    /** Nibble pairs q[j] | q[j+16] << 4 at {@code qs}; for 5 bits also the fifth bits as uint32 qh at {@code qh}. */
    private static void pack(byte[] q, int bits, byte[] out, int qh, int qs) {
        if (bits == 5) {
            int h = 0;
            for (int j = 0; j < QK; j++) {
                h |= ((q[j] >> 4) & 1) << j;
            }
            LittleEndian.putInt(out, qh, h);
        }
        for (int j = 0; j < QK / 2; j++) {
            out[qs + j] = (byte) ((q[j] & 15) | (q[j + 16] & 15) << 4);
        }
    }
}
