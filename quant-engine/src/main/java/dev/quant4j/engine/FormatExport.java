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
import dev.quant4j.api.spi.QuantizerSpec;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a whole model, tensor by tensor and unchanged, to an output format that quantizes on its own terms (e.g.
 * {@code compressed-tensors}, whose scheme arrives as a format option). Both formats are reached by name through
 * the registry; the writer is also told the input path ({@code source}) so it can copy files that are not tensors,
 * and gets the registry's quantizers to quantize with.
 */
public final class FormatExport {
    private FormatExport() {
    }

    /**
     * The quantizer {@code format} will write each tensor of {@code input} with under {@code options} (tensors it
     * copies are absent): the targets a transform searches against before the export.
     */
    public static Map<String, QuantizerSpec> quantizers(QuantRegistry registry, Path input, String format,
                                                        WriteOptions options) throws IOException {
        FormatProvider out = writer(registry, format);
        Map<String, QuantizerSpec> m = new LinkedHashMap<>();
        try (ModelReader in = Models.formatFor(registry, input).open(input)) {
            for (TensorInfo t : in.tensors()) {
                out.quantizerFor(new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize()), options)
                        .ifPresent(s -> m.put(t.name(), s));
            }
        }
        return m;
    }

    private static FormatProvider writer(QuantRegistry registry, String format) {
        if (registry.find(ProviderKind.FORMAT, format).isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "unknown output format '" + format + "'; formats: "
                    + registry.names(ProviderKind.FORMAT));
        }
        FormatProvider out = registry.format(format);
        if (!out.descriptor().has(Capability.WRITE)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "format '" + format + "' cannot write");
        }
        return out;
    }

    /** The files written. */
    public static List<Path> run(QuantRegistry registry, Path input, Path output, String format,
                                 WriteOptions options) throws IOException {
        FormatProvider out = writer(registry, format);
        Map<String, String> formatOptions = new HashMap<>(options.formatOptions());
        formatOptions.putIfAbsent("source", input.toAbsolutePath().toString());
        try (ModelReader in = Models.formatFor(registry, input).open(input)) {
            List<ModelLayout.TensorSlot> slots = in.tensors().stream()
                    .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList();
            try (ModelWriter w = out.create(output, new ModelLayout(in.metadata(), slots),
                    options.withFormatOptions(formatOptions), registry.quantizers())) {
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
