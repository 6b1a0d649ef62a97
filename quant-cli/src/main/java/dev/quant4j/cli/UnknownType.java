package dev.quant4j.cli;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ProviderKind;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the llama-cpp planner's "unknown file type" into the answer to "what can TYPE be": the file types,
 * the installed quantizers and the planners.
 */
final class UnknownType {
    private static final Pattern FILE_TYPES = Pattern.compile("unknown file type '[^']*'; use one of \\[([^]]*)]");

    private UnknownType() {
    }

    interface Step<T> {
        T run() throws IOException;
    }

    static <T> T explain(QuantRegistry registry, String type, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (QuantException e) {
            Matcher m = e.getMessage() == null ? null : FILE_TYPES.matcher(e.getMessage());
            if (m == null || !m.find()) {
                throw e;
            }
            String name = type.toLowerCase(java.util.Locale.ROOT);
            for (var b : registry.broken()) {
                if (b.name().equals(name)) {
                    registry.get(b.kind(), name); // fails with the plugin's jar and why it was skipped
                }
            }
            throw new QuantException(e.code(), "unknown TYPE '" + type + "'. TYPE is one of:"
                    + "\n  llama.cpp file types: " + m.group(1) + " (or a ggml type name, e.g. q4_k)"
                    + "\n  installed quantizers: " + String.join(", ", registry.names(ProviderKind.QUANTIZER))
                    + "\n  planners:             " + String.join(", ", registry.names(ProviderKind.PLANNER)), e);
        }
    }
}
