package dev.quant4j.integer.seed;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.integer.ct.CtArgs;
import dev.quant4j.integer.ct.CtQuantizer;
import dev.quant4j.kernels.Fp8;

/**
 * FP8 codes of {@code x / scale}, {@code scale = max|x| / format.maxFinite()} per tensor, row or group, in the
 * int8 byte layout ({@link ScaleLayout}); with {@code layout=compressed-tensors} (E4M3 only) compressed-tensors'
 * FP8_DYNAMIC / FP8_BLOCK weights ({@link CtQuantizer}). Not declared ROW_INDEPENDENT because per-tensor is not.
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
    public final Quantizer create(Fp8Options options) {
        if (options.layout() == CodeLayout.COMPRESSED_TENSORS) {
            if (format != Fp8.E4M3FN) {
                throw new QuantException(ErrorCode.INVALID_OPTION, name + ": layout compressed-tensors is float8_e4m3fn; "
                        + "use fp8_e4m3");
            }
            return new CtQuantizer(new CtArgs(true, 8, true, 0, options.blockSize(), options.scaleDtype()));
        }
        return new SymmetricByteQuantizer(name, new ByteCodec.Fp8Codec(format), options.scaleLayout());
    }
}
