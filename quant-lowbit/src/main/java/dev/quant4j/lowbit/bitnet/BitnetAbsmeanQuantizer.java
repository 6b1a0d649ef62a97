package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.Half;
import dev.quant4j.lowbit.simple.TernaryCodec;

/**
 * BitNet b1.58 post-training ternarisation ({@link Absmean} per 256-weight block) written in a ggml ternary
 * layout, so llama.cpp runs the result as an ordinary TQ2_0/TQ1_0 tensor. Importance is not used.
 */
public final class BitnetAbsmeanQuantizer extends RowQuantizer {
    private final TernaryLayout layout;

    public BitnetAbsmeanQuantizer(TernaryLayout layout) {
        super(layout.type());
        this.layout = layout;
    }

    public TernaryLayout layout() {
        return layout;
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        byte[] trits = new byte[Absmean.BLOCK];
        int blockBytes = layout.type().blockBytes();
        for (int base = 0, o = outOffset; base < n; base += Absmean.BLOCK, o += blockBytes) {
            float gamma = Absmean.gamma(x, base);
            for (int j = 0; j < Absmean.BLOCK; j++) {
                trits[j] = (byte) (Absmean.level(x[base + j], gamma) + 1);
            }
            if (layout == TernaryLayout.TQ1_0) {
                TernaryCodec.packTq1(trits, Absmean.storedScale(gamma), out, o);
            } else {
                TernaryCodec.packTq2(trits, Absmean.storedScale(gamma), out, o);
            }
        }
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        int blockBytes = layout.type().blockBytes();
        for (int i = 0, o = srcOffset; i < n; i += Absmean.BLOCK, o += blockBytes) {
            if (layout == TernaryLayout.TQ1_0) {
                TernaryCodec.unpackTq1(src, o, dst, dstOffset + i);
            } else {
                TernaryCodec.unpackTq2(src, o, dst, dstOffset + i);
            }
        }
    }

    /**
     * Sparsity and RMSE of ternarising {@code src} (every row), measured against the values llama.cpp
     * reconstructs. Fails like {@link #quantize} on shapes that are not whole 256-blocks.
     */
    public TernaryStats stats(TensorView src) {
        int n = Math.toIntExact(src.rowLength());
        rowBytes(src.name(), n);
        float[] x = new float[n];
        long zeros = 0;
        double sse = 0;
        for (long r = 0; r < src.rows(); r++) {
            src.readRow(r, x, 0);
            for (int base = 0; base < n; base += Absmean.BLOCK) {
                float gamma = Absmean.gamma(x, base);
                float d = Half.f32(Absmean.storedScale(gamma));
                for (int j = base; j < base + Absmean.BLOCK; j++) {
                    int q = Absmean.level(x[j], gamma);
                    if (q == 0) {
                        zeros++;
                    }
                    double e = (double) x[j] - (float) q * d;
                    sse += e * e;
                }
            }
        }
        long count = src.shape().elementCount();
        return new TernaryStats(count, (double) zeros / count, Math.sqrt(sse / count));
    }
}
