package dev.quant4j.integer.seed;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.kernels.Fp8;

/**
 * {@code fp8_e5m2}: OCP FP8 E5M2 codes of {@code x / scale}, {@code scale = max|x| / E5M2.maxFinite()} per
 * tensor, row or group, same byte layout as int8 ({@link ScaleLayout}). Not declared ROW_INDEPENDENT because
 * per-tensor is not.
 */
@AutoService(QuantizerProvider.class)
public final class Fp8E5M2QuantizerProvider implements QuantizerProvider<Fp8Options> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "fp8_e5m2",
            "FP8 E5M2 (OCP, IEEE-like, max 57344, saturating) with F32 scales", Capability.DEQUANTIZE);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<Fp8Options> optionsType() {
        return Fp8Options.class;
    }

    @Override
    public SymmetricByteQuantizer create(Fp8Options options) {
        return new SymmetricByteQuantizer("fp8_e5m2", new ByteCodec.Fp8Codec(Fp8.E5M2), options.layout());
    }
}
