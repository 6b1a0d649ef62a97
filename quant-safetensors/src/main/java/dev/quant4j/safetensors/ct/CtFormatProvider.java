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
import dev.quant4j.api.spi.WriteOptions;
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

    @Override
    public ModelWriter create(Path dir, ModelLayout layout, WriteOptions options) throws IOException {
        return CtModelWriter.create(dir, layout, options);
    }
}
