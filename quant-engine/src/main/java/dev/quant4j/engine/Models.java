package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ProviderKind;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding the format of a model file through the registry. */
public final class Models {
    private Models() {
    }

    /** The installed format that recognises {@code file}; fails naming the file and the formats tried. */
    public static FormatProvider formatFor(QuantRegistry registry, Path file) {
        if (!Files.exists(file)) { // a directory may be a model too (a Hugging Face checkpoint)
            throw new QuantException(ErrorCode.IO, file + ": no such file or directory");
        }
        return registry.formatFor(file).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_TYPE,
                file + ": not a model file any installed format reads (formats: "
                        + registry.names(ProviderKind.FORMAT) + ")"));
    }
}
