package dev.quant4j.integer.seed;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.kernels.Fp8;

/**
 * {@code fp8_e4m3}: OCP FP8 E4M3FN codes of {@code x / scale}, {@code scale = max|x| / E4M3FN.maxFinite()} per
 * tensor, row or group, same byte layout as int8 ({@link ScaleLayout}). Not declared ROW_INDEPENDENT because
 * per-tensor is not.
 */
@AutoService(QuantizerProvider.class)
public final class Fp8E4M3QuantizerProvider implements QuantizerProvider<Fp8Options> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "fp8_e4m3",
            "FP8 E4M3FN (OCP, max 448, saturating) with F32 scales", Capability.DEQUANTIZE);

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
        return new SymmetricByteQuantizer("fp8_e4m3", new ByteCodec.Fp8Codec(Fp8.E4M3FN), options.layout());
    }
}
