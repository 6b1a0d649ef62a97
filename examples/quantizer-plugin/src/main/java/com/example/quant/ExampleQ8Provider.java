package com.example.quant;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.tensor.DType;

/**
 * A third-party quantizer named {@code example-q8}: llama.cpp's Q8_0 block (32 weights, an fp16 scale of
 * amax/127, codes rounded half away from zero), so its output is a GGUF file llama.cpp loads and its bytes are
 * checked against llama.cpp's own (ExampleQ8VectorsTest). Found through
 * {@code META-INF/services/dev.quant4j.api.spi.QuantizerProvider}.
 */
public final class ExampleQ8Provider implements QuantizerProvider<NoOptions> {
    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 2 + BLOCK;

    @Override
    public ProviderDescriptor descriptor() {
        // the name is what users type (quant quantize IN OUT example-q8); the version comes from the jar manifest
        return ProviderDescriptor.of(getClass(), "example-q8", "Example Q8 (third-party plugin)",
                Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT, Capability.GGML_EXACT);
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public Quantizer create(NoOptions options) {
        // RowQuantizer does the tensor plumbing (row ranges, sizes, NaN checks); we encode and decode one row
        return new RowQuantizer(DType.Q8_0) {
            @Override
            protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int off) {
                for (int b = 0; b < n / BLOCK; b++) {
                    float amax = 0;
                    for (int j = 0; j < BLOCK; j++) {
                        amax = Math.max(amax, Math.abs(x[b * BLOCK + j]));
                    }
                    float d = amax / 127f;
                    float id = d != 0 ? 1f / d : 0f;
                    short h = Float.floatToFloat16(d);
                    int p = off + b * BLOCK_BYTES;
                    out[p] = (byte) h;
                    out[p + 1] = (byte) (h >> 8);
                    for (int j = 0; j < BLOCK; j++) {
                        float v = x[b * BLOCK + j] * id;
                        out[p + 2 + j] = (byte) (v < 0 ? -Math.round(-v) : Math.round(v)); // C roundf
                    }
                }
            }

            @Override
            protected void dequantizeRow(byte[] src, int off, float[] dst, int dstOff, int n) {
                for (int b = 0; b < n / BLOCK; b++) {
                    int p = off + b * BLOCK_BYTES;
                    float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
                    for (int j = 0; j < BLOCK; j++) {
                        dst[dstOff + b * BLOCK + j] = d * src[p + 2 + j];
                    }
                }
            }
        };
    }
}
