package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.KScalePacking;
import dev.quant4j.kernels.LittleEndian;
import dev.quant4j.kernels.QkxBatch;
import dev.quant4j.kernels.SearchWarmth;
import dev.quant4j.kernels.QpQuants;
import dev.quant4j.kernels.Requantize;
import dev.quant4j.kernels.Rounding;

/**
 * Q4_K and Q5_K (spec sections 4.3, 4.4): 256-value super-blocks of eight 32-value sub-blocks, each with a
 * 6-bit scale and 6-bit min (12-byte packing) under fp16 {@code d} and {@code dmin}. Q5_K adds a fifth bit
 * per value in {@code qh}.
 */
final class Q45_KCodec implements RowCodec {
    private static final int QK = 256;
    private final DType type;
    private final int nmax;
    private final int qsOffset;
    // make_qkx2_quants parameters of the reference path
    private final float rmin;
    private final int nstep;
    /** Each worker thread's search scratch (a few KB, reused for every row). */
    private final ThreadLocal<QkxBatch> search = ThreadLocal.withInitial(() -> QkxBatch.create(32));

    Q45_KCodec(DType type) {
        if (type != DType.Q4_K && type != DType.Q5_K) {
            throw new IllegalArgumentException(type + " is not Q4_K or Q5_K");
        }
        this.type = type;
        boolean q4 = type == DType.Q4_K;
        this.nmax = q4 ? 15 : 31;
        this.qsOffset = q4 ? 16 : 48;
        this.rmin = q4 ? -1.0f : -0.5f;
        this.nstep = q4 ? 20 : 15;
    }

    @Override
    public DType type() {
        return type;
    }

    @Override
    public boolean usesImportance() {
        return true;
    }

    @Override
    public boolean warm() {
        return SearchWarmth.qkx();
    }

    @Override
    public void encode(float[] x, int n, float[] qw, byte[] out, int off) {
        int nsub = n / 32;
        byte[] L = new byte[n];
        float[] weights = new float[n];
        float[] scales = new float[nsub];
        float[] mins = new float[nsub];
        float[] sw = new float[8];
        byte[] ls = new byte[8];
        byte[] lm = new byte[8];
        // every sub-block search of the row runs in one lane-parallel pass
        QkxBatch search = this.search.get();
        if (qw == null) {
            referenceWeights(x, n, weights);
            search.make(nsub, nmax, x, 0, weights, 0, rmin, 0.1f, nstep, false, false, L, 0, scales, mins, 0);
        } else {
            importanceWeights(x, n, qw, weights);
            search.make(nsub, nmax, x, 0, weights, 0, -0.9f, 0.05f, 36, false, true, L, 0, scales, mins, 0);
        }
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            int j0 = c / 32;
            if (qw == null) {
                referenceScales(scales, mins, j0, ls, lm, out, o);
            } else {
                for (int j = 0; j < 8; j++) {
                    float sum = 0;
                    for (int l = 0; l < 32; l++) {
                        sum += weights[c + 32 * j + l];
                    }
                    sw[j] = sum;
                }
                weightedScales(scales, mins, j0, sw, ls, lm, out, o);
            }
            requantize(x, c, L, out, o);
        }
    }

    /** Reference weights: {@code sqrt(mean x^2 of the sub-block) + |x|}. */
    private static void referenceWeights(float[] x, int n, float[] weights) {
        // four sub-blocks at a time: four independent sequential sums instead of one latency-bound chain
        float[] av = new float[4];
        for (int b = 0; b < n; b += 128) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int l = 0; l < 32; l++) {
                float a0 = x[b + l];
                float a1 = x[b + 32 + l];
                float a2 = x[b + 64 + l];
                float a3 = x[b + 96 + l];
                s0 += a0 * a0;
                s1 += a1 * a1;
                s2 += a2 * a2;
                s3 += a3 * a3;
            }
            av[0] = (float) Math.sqrt(s0 / 32);
            av[1] = (float) Math.sqrt(s1 / 32);
            av[2] = (float) Math.sqrt(s2 / 32);
            av[3] = (float) Math.sqrt(s3 / 32);
            for (int l = 0; l < 128; l++) {
                weights[b + l] = av[l >> 5] + Math.abs(x[b + l]);
            }
        }
    }

    /** Importance weights: {@code qw * sqrt(sigma2 + x^2)}, sigma2 = twice the super-block's mean x^2. */
    private static void importanceWeights(float[] x, int n, float[] qw, float[] weights) {
        for (int c = 0; c < n; c += QK) {
            float sumX2 = 0;
            for (int l = 0; l < QK; l++) {
                sumX2 += x[c + l] * x[c + l];
            }
            float sigma2 = 2 * sumX2 / QK;
            for (int l = c; l < c + QK; l++) {
                weights[l] = qw[l] * (float) Math.sqrt(sigma2 + x[l] * x[l]);
            }
        }
    }

    /** Reference steps 2-4: 6-bit levels of the eight scales and mins relative to their maxima. */
    private static void referenceScales(float[] scales, float[] mins, int j0, byte[] ls, byte[] lm, byte[] out, int o) {
        float maxScale = 0;
        float maxMin = 0;
        for (int j = j0; j < j0 + 8; j++) {
            if (scales[j] > maxScale) {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin) {
                maxMin = mins[j];
            }
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        for (int j = 0; j < 8; j++) {
            // uint8_t store before the min: the level wraps mod 256 first
            ls[j] = (byte) Math.min(63, Rounding.nearestInt(invScale * scales[j0 + j]) & 0xFF);
            lm[j] = (byte) Math.min(63, Rounding.nearestInt(invMin * mins[j0 + j]) & 0xFF);
        }
        KScalePacking.pack(ls, 0, lm, 0, out, o + 4);
        LittleEndian.putHalf(out, o, maxScale / 63f);
        LittleEndian.putHalf(out, o + 2, maxMin / 63f);
    }

    /** Importance steps 3: scales and mins fitted to 6 bits by make_qp_quants weighted by the sub-block sums. */
    private void weightedScales(float[] scales, float[] mins, int j0, float[] sw, byte[] ls, byte[] lm,
                                byte[] out, int o) {
        float dBlock = QpQuants.make(8, 63, scales, j0, sw, 0, ls, 0);
        float mBlock = QpQuants.make(8, 63, mins, j0, sw, 0, lm, 0);
        if (nmax == 31) {
            // only Q5_K's impl clamps; a no-op unless make_qp_quants wrapped a negative level
            for (int j = 0; j < 8; j++) {
                ls[j] = (byte) Math.min(63, ls[j] & 0xFF);
                lm[j] = (byte) Math.min(63, lm[j] & 0xFF);
            }
        }
        KScalePacking.pack(ls, 0, lm, 0, out, o + 4);
        LittleEndian.putHalf(out, o, dBlock);
        LittleEndian.putHalf(out, o + 2, mBlock);
    }

    /** Reference steps 5-6: levels from the stored scales and mins, then the nibble (and Q5_K high-bit) layout. */
    private void requantize(float[] x, int c, byte[] L, byte[] out, int o) {
        float d = LittleEndian.getHalf(out, o);
        float dmin = LittleEndian.getHalf(out, o + 2);
        for (int j = 0; j < 8; j++) {
            float dj = d * KScalePacking.scale(out, o + 4, j);
            if (dj == 0) {
                continue;
            }
            float dm = dmin * KScalePacking.min(out, o + 4, j);
            Requantize.affine(x, c + 32 * j, 32, dm, dj, nmax, L, c + 32 * j);
        }
        if (nmax == 31) {
            for (int l = 0; l < 32; l++) {
                int qh = 0;
                for (int k = 0; k < 8; k++) {
                    qh |= ((L[c + 32 * k + l] >> 4) & 1) << k;
                }
                out[o + 16 + l] = (byte) qh;
            }
        }
        for (int chunk = 0; chunk < 4; chunk++) {
            for (int l = 0; l < 32; l++) {
                out[o + qsOffset + 32 * chunk + l] =
                        (byte) ((L[c + 64 * chunk + l] & 15) | (L[c + 64 * chunk + 32 + l] & 15) << 4);
            }
        }
    }

    @Override
    public void decode(byte[] in, int off, float[] y, int yOff, int n) {
        int bb = type.blockBytes();
        for (int c = 0, o = off; c < n; c += QK, o += bb) {
            float d = LittleEndian.getHalf(in, o);
            float dmin = LittleEndian.getHalf(in, o + 2);
            for (int j = 0; j < 8; j++) {
                float dl = d * KScalePacking.scale(in, o + 4, j);
                float ml = dmin * KScalePacking.min(in, o + 4, j);
                int chunk = j >> 1;
                int shift = 4 * (j & 1);
                for (int l = 0; l < 32; l++) {
                    int q = (in[o + qsOffset + 32 * chunk + l] >> shift) & 15;
                    if (nmax == 31) {
                        q |= ((in[o + 16 + l] >> j) & 1) << 4;
                    }
                    y[yOff + c + 32 * j + l] = dl * q - ml;
                }
            }
        }
    }
}
