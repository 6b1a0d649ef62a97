package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.Half;
import dev.quant4j.lowbit.iq.Iq1SProvider;
import dev.quant4j.lowbit.simple.TernaryCodec;
import java.lang.foreign.MemorySegment;

/**
 * BitNet b1.58 post-training ternarisation ({@link Absmean} per 256-weight block, or PT-BitNet's calibrated
 * {@link ScaleSearch} scale) written in a ggml layout, so llama.cpp runs the result as an ordinary TQ2_0/TQ1_0
 * tensor, or as IQ1_S (the ternary weights encoded by the IQ1_S codebook quantizer). Importance chooses the scales
 * when {@code optimize-scales} is on (auto: whenever it is given) and weights IQ1_S's own search.
 */
public final class BitnetAbsmeanQuantizer extends RowQuantizer {
    private final TernaryLayout layout;
    private final BitnetOptions options;
    private final Quantizer iq1s;

    public BitnetAbsmeanQuantizer(TernaryLayout layout) {
        this(layout, BitnetOptions.defaults());
    }

    public BitnetAbsmeanQuantizer(TernaryLayout layout, BitnetOptions options) {
        super(layout.type());
        this.layout = layout;
        this.options = options;
        this.iq1s = layout == TernaryLayout.IQ1_S ? new Iq1SProvider().create(new NoOptions()) : null;
    }

    public TernaryLayout layout() {
        return layout;
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        boolean optimize = options.optimizes(importance != null);
        byte[] trits = new byte[Absmean.BLOCK];
        float[] ternary = layout == TernaryLayout.IQ1_S ? new float[n] : null;
        int blockBytes = layout.type().blockBytes();
        for (int base = 0, o = outOffset; base < n; base += Absmean.BLOCK, o += blockBytes) {
            float gamma = optimize ? ScaleSearch.scale(x, base, importance, base) : Absmean.gamma(x, base);
            for (int j = 0; j < Absmean.BLOCK; j++) {
                trits[j] = (byte) (Absmean.level(x[base + j], gamma) + 1);
            }
            if (ternary != null) {
                float d = Half.f32(Absmean.storedScale(gamma));
                for (int j = 0; j < Absmean.BLOCK; j++) {
                    ternary[base + j] = (trits[j] - 1) * d;
                }
            } else if (layout == TernaryLayout.TQ1_0) {
                TernaryCodec.packTq1(trits, Absmean.storedScale(gamma), out, o);
            } else {
                TernaryCodec.packTq2(trits, Absmean.storedScale(gamma), out, o);
            }
        }
        if (ternary != null) {
            encodeIq1s(ternary, n, importance, out, outOffset);
        }
    }

    /** The ternary row through the IQ1_S quantizer (which needs importance: equal weights when none is given). */
    private void encodeIq1s(float[] ternary, int n, float[] importance, byte[] out, int outOffset) {
        float[] imp = importance;
        if (imp == null) {
            imp = new float[n];
            java.util.Arrays.fill(imp, 1f);
        }
        long bytes = (long) n / Absmean.BLOCK * layout.type().blockBytes();
        iq1s.quantize(TensorView.ofFloats("ternary", Shape.of(n, 1), ternary), 0, 1, imp,
                MemorySegment.ofArray(out).asSlice(outOffset, bytes));
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        int blockBytes = layout.type().blockBytes();
        if (iq1s != null) {
            float[] row = new float[n];
            iq1s.dequantize(MemorySegment.ofArray(src).asSlice(srcOffset, (long) n / Absmean.BLOCK * blockBytes),
                    Shape.of(n, 1), 0, 1, row);
            System.arraycopy(row, 0, dst, dstOffset, n);
            return;
        }
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
