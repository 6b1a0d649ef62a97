package dev.quant4j.importance.gptq;

import com.google.auto.service.AutoService;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerLookup;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.kernels.gptq.GptqConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code gptq} quantizer: GPTQ error feedback in front of any block-quantized ggml quantizer (or any quantizer
 * whose rows split into groups sharing a scale, {@link Quantizer#scaleGroup()}: compressed-tensors' int4), named by its
 * {@code type} option and reached through the registry ({@link QuantizerLookup}), with the Hessians from a
 * statistics file (option {@code hessians}). A plugin cannot run the forward pass that makes the Hessians and
 * the quantizer request carries one tensor, so the statistics come as a file: made once by the calibration pass,
 * named in the plan like any option, usable by every planner and reusable across runs. See docs/gptq.md.
 */
@AutoService(QuantizerProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class GptqQuantizerProvider implements QuantizerProvider<GptqOptions> {
    /** The registry name. */
    public static final String NAME = "gptq";

    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), NAME,
            "GPTQ error feedback before a ggml block quantizer (option type)", Capability.DEQUANTIZE,
            Capability.ROW_INDEPENDENT, Capability.USES_CALIBRATION);

    /** Called by ServiceLoader. */
    public GptqQuantizerProvider() {
        // stateless
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<GptqOptions> optionsType() {
        return GptqOptions.class;
    }

    @Override
    public Quantizer create(GptqOptions options) {
        throw new QuantException(ErrorCode.INVALID_OPTION, "gptq: it writes through another installed quantizer "
                + "(type=" + options.type() + ") and must be created with the registry's quantizers "
                + "(QuantizerProvider.create(options, lookup), as quant-engine does)");
    }

    @Override
    public Quantizer create(GptqOptions options, QuantizerLookup installed) {
        if (options.type() == null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "gptq: option 'type' is required: the quantizer "
                    + "that writes the bytes, e.g. type=q4_k");
        }
        if (options.type().equals(NAME)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "gptq: type=gptq would nest GPTQ in itself");
        }
        if (options.hessians() == null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "gptq: option 'hessians' is required: the statistics "
                    + "file of this model (quant quantize --gptq --calibration TEXT writes it)");
        }
        Path file = Path.of(options.hessians());
        if (!Files.isRegularFile(file)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "gptq: option 'hessians': " + file
                    + " is not a file; calibrate first (quant quantize --gptq --calibration TEXT ...)");
        }
        Quantizer inner = installed.quantizer(options.type(), options.innerOptions());
        int unit = inner.scaleGroup();
        if (unit < 2) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "gptq: type=" + options.type() + " writes "
                    + inner.encoding().name() + ", which has no row-local groups sharing a scale; GPTQ fits ggml blocks "
                    + "(q4_k, q4_0, iq4_xs, ...) or groups (int4 with layout=compressed-tensors)");
        }
        return new GptqQuantizer(inner, unit, file,
                new GptqConfig(options.dampening(), options.lazyBatch(), options.actOrder()));
    }
}
