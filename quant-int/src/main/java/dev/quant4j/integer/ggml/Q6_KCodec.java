package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.QxBatch;
import dev.quant4j.kernels.SearchWarmth;
import dev.quant4j.kernels.QxQuants;
import dev.quant4j.kernels.Requantize;
import dev.quant4j.kernels.Rounding;

/**
 * Q6_K (spec section 4.5): 256-value super-blocks of sixteen 16-value sub-blocks with int8 scales under an
 * fp16 {@code d}; 6-bit levels split into {@code ql} (low nibbles) and {@code qh} (high two bits).
 */
final class Q6_KCodec implements RowCodec {
    private static final int QK = 256;
    private static final int BYTES = 210;
    private static final int QL = 0;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;
    /** Each worker thread's scratch: the search (a few KB with the vector module, 30 KB without), row arrays. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final QxBatch search = QxBatch.perThread(16);
        final float[] dj = new float[16];
        byte[] levels = new byte[0];
        float[] scales = new float[0];

        Scratch ensure(int n) {
            if (levels.length < n) {
                levels = new byte[n];
                scales = new float[n / 16];
            }
            return this;
        }
    }

    @Override
    public DType type() {
        return DType.Q6_K;
    }

    @Override
    public boolean usesImportance() {
        return true;
    }

    @Override
    public void encode(float[] x, int n, float[] qw, byte[] out, int off) {
        encode(x, 0, n, qw, out, off);
    }

    @Override
    public boolean warm() {
        return SearchWarmth.qx();
    }

    /** Reads the row in place at {@code x[xOff ..]} (no copy per row). */
    @Override
    public void encode(float[] x, int xOff, int n, float[] qw, byte[] out, int off) {
        encodeRow(x, xOff, n, qw, out, off, null);
    }

    /** The restored row is each sub-block's step times its signed levels, written by the requantization. */
    @Override
    public boolean encodeRestoring(float[] x, int xOff, int n, float[] qw, byte[] out, int off, float[] restored) {
        encodeRow(x, xOff, n, qw, out, off, restored);
        return true;
    }

    private void encodeRow(float[] x, int xOff, int n, float[] qw, byte[] out, int off, float[] restored) {
        Scratch s = scratch.get().ensure(n);
        float[] scales = s.scales;
        // every sub-block's scale in one batch (the levels come from the requantization); the imatrix path passes
        // the raw importance as weights
        s.search.make(n / 16, 32, x, xOff, qw, 0, null, 0, scales, 0);
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            float maxScale = 0;
            float maxAbs = 0;
            for (int ib = c / 16; ib < c / 16 + 16; ib++) {
                float sc = scales[ib];
                if (Math.abs(sc) > maxAbs) {
                    maxAbs = Math.abs(sc);
                    maxScale = sc;
                }
            }
            encodeBlock(x, xOff, qw, c, s.levels, scales, maxScale, maxAbs, s.dj, out, o, restored);
        }
    }

    /**
     * Steps 2-5: int8 scales relative to the largest, requantization, packing (levels and scales row-indexed). A
     * sub-block whose step {@code d * scale} is 0 keeps the search's levels (ggml skips its requantization); only
     * then are they computed, by the reference search of that one sub-block. Restored values (when asked) are 0
     * there and in an all-zero block, as the decoder's products are (up to the sign of zero).
     */
    private static void encodeBlock(float[] x, int xOff, float[] qw, int c, byte[] L, float[] scales, float maxScale,
                                    float maxAbs, float[] dj, byte[] out, int o, float[] restored) {
        if (maxAbs < QxQuants.EPS) {
            java.util.Arrays.fill(out, o, o + BYTES, (byte) 0);
            if (restored != null) {
                java.util.Arrays.fill(restored, c, c + QK, 0f);
            }
            return;
        }
        float iscale = -128f / maxScale;
        float d = LittleEndian.putHalf(out, o + D, 1 / iscale);
        for (int ib = 0; ib < 16; ib++) {
            out[o + SCALES + ib] = (byte) Math.min(127, Rounding.nearestInt(iscale * scales[c / 16 + ib]));
            dj[ib] = d * out[o + SCALES + ib];
        }
        Requantize.symmetricBlocks(x, xOff + c, 16, 16, dj, 0, -32, 31, 32, L, c, restored, c);
        for (int j = 0; j < 16; j++) {
            if (dj[j] == 0) {
                int b = c + 16 * j;
                QxQuants.make(16, 32, x, xOff + b, qw, b, L, b);
                if (restored != null) {
                    java.util.Arrays.fill(restored, b, b + 16, 0f);
                }
            }
        }
        for (int h = 0; h < 2; h++) {
            int b = c + 128 * h;
            for (int l = 0; l < 32; l++) {
                int l0 = L[b + l];
                int l1 = L[b + l + 32];
                int l2 = L[b + l + 64];
                int l3 = L[b + l + 96];
                out[o + QL + 64 * h + l] = (byte) ((l0 & 15) | (l2 & 15) << 4);
                out[o + QL + 64 * h + 32 + l] = (byte) ((l1 & 15) | (l3 & 15) << 4);
                out[o + QH + 32 * h + l] = (byte) ((l0 >> 4) | (l1 >> 4) << 2 | (l2 >> 4) << 4 | (l3 >> 4) << 6);
            }
        }
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        for (int c = 0, o = off; c < n; c += QK, o += BYTES) {
            float d = LittleEndian.getHalf(in, o + D);
            for (int h = 0; h < 2; h++) {
                int b = c + 128 * h;
                for (int l = 0; l < 32; l++) {
                    int ql0 = in[o + QL + 64 * h + l] & 0xFF;
                    int ql1 = in[o + QL + 64 * h + 32 + l] & 0xFF;
                    int qh = in[o + QH + 32 * h + l] & 0xFF;
                    int is = 8 * h + l / 16;
                    int q1 = ((ql0 & 15) | (qh & 3) << 4) - 32;
                    int q2 = ((ql1 & 15) | ((qh >> 2) & 3) << 4) - 32;
                    int q3 = ((ql0 >> 4) | ((qh >> 4) & 3) << 4) - 32;
                    int q4 = ((ql1 >> 4) | ((qh >> 6) & 3) << 4) - 32;
                    y[yOff + b + l] = d * in[o + SCALES + is] * q1;
                    y[yOff + b + l + 32] = d * in[o + SCALES + is + 2] * q2;
                    y[yOff + b + l + 64] = d * in[o + SCALES + is + 4] * q3;
                    y[yOff + b + l + 96] = d * in[o + SCALES + is + 6] * q4;
                }
            }
        }
    }
}
