package dev.quant4j.integer.seed;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.integer.ct.CtArgs;
import dev.quant4j.integer.ct.CtQuantizer;

/**
 * {@code int8}: symmetric int8 codes in [-127, 127] with F32 scales {@code max|x| / 127} per tensor, row or
 * group ({@link ScaleLayout} gives the byte layout); with {@code layout=compressed-tensors} compressed-tensors'
 * W8A8 weights ({@link CtQuantizer}). Not declared ROW_INDEPENDENT because per-tensor is
 * not; {@link SymmetricByteQuantizer#rowIndependent()} tells for a configured worker.
 */
@AutoService(QuantizerProvider.class)
public final class Int8QuantizerProvider implements QuantizerProvider<Int8Options> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "int8",
            "INT8 symmetric (per-tensor, per-row or per-group F32 scales)", Capability.DEQUANTIZE);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<Int8Options> optionsType() {
        return Int8Options.class;
    }

    @Override
    public Quantizer create(Int8Options options) {
        if (options.layout() == CodeLayout.COMPRESSED_TENSORS) {
            return new CtQuantizer(new CtArgs(false, 8, true, 0, 0, options.scaleDtype()));
        }
        return new SymmetricByteQuantizer("int8", new ByteCodec.Int8(), options.scaleLayout());
    }
}
