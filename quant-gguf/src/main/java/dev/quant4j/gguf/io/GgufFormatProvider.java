package dev.quant4j.gguf.io;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.WriteOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code gguf} format: GGUF v3 as llama.cpp reads and writes it (spec/gguf.md). Reading maps the file(s)
 * and parses only the header; writing lays out every byte up front and hands out mapped tensor slots.
 */
@AutoService(FormatProvider.class)
public final class GgufFormatProvider implements FormatProvider {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(GgufFormatProvider.class, "gguf",
            "GGUF v3 (llama.cpp)", Capability.READ, Capability.WRITE);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public boolean canRead(Path file) {
        try {
            if (file == null || !Files.isRegularFile(file)) {
                return false;
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] magic = in.readNBytes(4);
                return magic.length == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F';
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Opens a GGUF file. The first shard of a split model ({@code NAME-00001-of-0000N.gguf}) opens the whole
     * model; another shard opens alone, as the file it is.
     *
     * @throws dev.quant4j.api.error.CorruptFormatException              for any violation of the format
     * @throws dev.quant4j.api.error.UnsupportedFormatVersionException   for GGUF versions other than 3
     */
    @Override
    public ModelReader open(Path file) throws IOException {
        return GgufReader.open(file);
    }

    @Override
    public ModelWriter create(Path file, ModelLayout layout, WriteOptions options) throws IOException {
        return GgufWriter.create(file, layout, options);
    }

    /** The sizes the writer will use: the same {@link WritePlan}, computed without touching a file. */
    @Override
    public java.util.OptionalLong fileBytes(ModelLayout layout, WriteOptions options) {
        WritePlan plan = WritePlan.of(Path.of("size-only.gguf"), layout, options);
        return java.util.OptionalLong.of(plan.shards().stream().mapToLong(ShardPlan::fileSize).sum());
    }
}
