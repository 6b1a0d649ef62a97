package dev.quant4j.eval.imatrix;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Loading and saving imatrix files in either format; GGUF goes through the registry's {@code gguf} format. */
public final class ImatrixFiles {
    /** The two file formats ({@code --output-format}). */
    public enum Format {
        GGUF, DAT;

        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "gguf" -> GGUF;
                case "dat" -> DAT;
                default -> throw new dev.quant4j.api.error.QuantException(dev.quant4j.api.error.ErrorCode.INVALID_OPTION,
                        "invalid output format '" + s + "': use gguf or dat");
            };
        }
    }

    private static final byte[] GGUF_MAGIC = {'G', 'G', 'U', 'F'};

    private ImatrixFiles() {
    }

    /** Reads {@code file}: GGUF when it starts with the GGUF magic, else legacy .dat (as llama.cpp decides). */
    public static ImatrixFile load(Path file, QuantRegistry registry) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such imatrix file");
        }
        if (isGguf(file)) {
            try (ModelReader r = registry.format("gguf").open(file)) {
                return ImatrixGguf.read(r);
            }
        }
        return ImatrixDat.read(file);
    }

    /** Writes {@code imatrix} to {@code file} in {@code format}; nothing appears under {@code file} unless complete. */
    public static void save(Imatrix imatrix, Path file, Format format, QuantRegistry registry) throws IOException {
        switch (format) {
            case GGUF -> ImatrixGguf.write(imatrix, file, registry.format("gguf"));
            case DAT -> ImatrixDat.write(imatrix, file);
        }
    }

    static boolean isGguf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(4), GGUF_MAGIC);
        }
    }
}
