package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a whole model, tensor by tensor and unchanged, to an output format that quantizes on its own terms (e.g.
 * {@code compressed-tensors}, whose scheme arrives as a format option). Both formats are reached by name through
 * the registry; the writer is also told the input path ({@code source}) so it can copy files that are not tensors.
 */
public final class FormatExport {
    private FormatExport() {
    }

    /** The files written. */
    public static List<Path> run(QuantRegistry registry, Path input, Path output, String format,
                                 WriteOptions options) throws IOException {
        if (registry.find(ProviderKind.FORMAT, format).isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "unknown output format '" + format + "'; formats: "
                    + registry.names(ProviderKind.FORMAT));
        }
        FormatProvider out = registry.format(format);
        if (!out.descriptor().has(Capability.WRITE)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "format '" + format + "' cannot write");
        }
        Map<String, String> formatOptions = new HashMap<>(options.formatOptions());
        formatOptions.putIfAbsent("source", input.toAbsolutePath().toString());
        try (ModelReader in = Models.formatFor(registry, input).open(input)) {
            List<ModelLayout.TensorSlot> slots = in.tensors().stream()
                    .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList();
            try (ModelWriter w = out.create(output, new ModelLayout(in.metadata(), slots),
                    options.withFormatOptions(formatOptions))) {
                int i = 0;
                for (TensorInfo t : in.tensors()) {
                    w.write(i++, 0, in.view(t).data());
                }
                w.commit();
                return w.files();
            }
        }
    }
}
