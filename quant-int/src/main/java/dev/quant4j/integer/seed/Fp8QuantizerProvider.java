package dev.quant4j.integer.seed;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.kernels.Fp8;

/**
 * FP8 codes of {@code x / scale}, {@code scale = max|x| / format.maxFinite()} per tensor, row or group, in the
 * int8 byte layout ({@link ScaleLayout}). Not declared ROW_INDEPENDENT because per-tensor is not.
 */
abstract class Fp8QuantizerProvider implements QuantizerProvider<Fp8Options> {
    private final String name;
    private final Fp8 format;
    private final ProviderDescriptor descriptor;

    Fp8QuantizerProvider(String name, Fp8 format, String displayName) {
        this.name = name;
        this.format = format;
        this.descriptor = ProviderDescriptor.of(getClass(), name, displayName, Capability.DEQUANTIZE);
    }

    @Override
    public final ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final Class<Fp8Options> optionsType() {
        return Fp8Options.class;
    }

    @Override
    public final SymmetricByteQuantizer create(Fp8Options options) {
        return new SymmetricByteQuantizer(name, new ByteCodec.Fp8Codec(format), options.layout());
    }
}
