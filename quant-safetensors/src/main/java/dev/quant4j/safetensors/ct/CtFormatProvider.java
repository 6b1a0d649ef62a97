package dev.quant4j.safetensors.ct;

import com.google.auto.service.AutoService;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.QuantizerLookup;
import dev.quant4j.api.spi.QuantizerSpec;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.safetensors.hf.LlamaNames;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code compressed-tensors} output format (vLLM): write only. {@link #create} takes the output directory and
 * the scheme as the {@code scheme} format option; see {@link CtModelWriter}. A compressed-tensors checkpoint is
 * read as plain safetensors (format {@code safetensors}).
 */
@AutoService(FormatProvider.class)
public final class CtFormatProvider implements FormatProvider {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(CtFormatProvider.class,
            "compressed-tensors", "compressed-tensors safetensors directory (vLLM)", Capability.WRITE);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    /** Never: sniffing leaves compressed-tensors checkpoints to the safetensors format. */
    @Override
    public boolean canRead(Path file) {
        return false;
    }

    @Override
    public ModelReader open(Path file) {
        throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, file + ": compressed-tensors is an output format; "
                + "read a compressed-tensors checkpoint with the safetensors format");
    }

    /** Without the registry's quantizers this format cannot quantize: use the four-argument create. */
    @Override
    public ModelWriter create(Path dir, ModelLayout layout, WriteOptions options) throws IOException {
        return CtModelWriter.create(dir, layout, options, QuantizerLookup.none());
    }

    @Override
    public ModelWriter create(Path dir, ModelLayout layout, WriteOptions options, QuantizerLookup installed)
            throws IOException {
        return CtModelWriter.create(dir, layout, options, installed);
    }

    /** The scheme's quantizer (or gptq in front of it) for a Linear weight, by GGUF or Hugging Face name. */
    @Override
    public Optional<QuantizerSpec> quantizerFor(ModelLayout.TensorSlot tensor, WriteOptions options) {
        String hf = LlamaNames.gguf(tensor.name()).isPresent() ? tensor.name()
                : LlamaNames.hf(tensor.name()).orElse(tensor.name());
        if (!CtExport.isLinear(hf, tensor.shape())) {
            return Optional.empty();
        }
        return Optional.of(CtModelWriter.weights(options, QuantizerLookup.none()).spec(tensor.type()));
    }
}
