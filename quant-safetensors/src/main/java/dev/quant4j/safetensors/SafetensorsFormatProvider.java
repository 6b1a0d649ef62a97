package dev.quant4j.safetensors;

import dev.quant4j.safetensors.io.ModelFiles;
import dev.quant4j.safetensors.io.SafetensorsReader;
import dev.quant4j.safetensors.io.SafetensorsWriter;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.safetensors.hf.HfModelReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code safetensors} format. A {@code .safetensors} file (or an index) opens as stored: the file's tensor
 * names, shapes in ggml order, its {@code __metadata__} strings. A Hugging Face model directory (one with a
 * {@code config.json}) opens as the GGUF model convert_hf_to_gguf.py would make of it: GGUF names and metadata,
 * Q/K rows permuted, tokenizer included; see docs/safetensors.md.
 */
@AutoService(FormatProvider.class)
public final class SafetensorsFormatProvider implements FormatProvider {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(SafetensorsFormatProvider.class,
            "safetensors", "safetensors (Hugging Face)", Capability.READ, Capability.WRITE);

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    /** A file whose first 8 bytes give a plausible header length followed by '{'; or a model directory. */
    @Override
    public boolean canRead(Path file) {
        try {
            if (file == null) {
                return false;
            }
            if (Files.isDirectory(file)) {
                return ModelFiles.isModelDirectory(file);
            }
            if (!Files.isRegularFile(file)) {
                return false;
            }
            if (file.getFileName().toString().endsWith(".safetensors.index.json")) {
                return true;
            }
            long size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] head = in.readNBytes(9);
                if (head.length < 9 || head[8] != '{') {
                    return false;
                }
                long n = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                return n >= 2 && n <= SafetensorsReader.MAX_HEADER && n <= size - 8;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Opens a safetensors file, an index, or a directory.
     *
     * @throws dev.quant4j.api.error.CorruptFormatException for any violation of the format
     */
    @Override
    public ModelReader open(Path file) throws IOException {
        if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("config.json"))) {
            return HfModelReader.open(file);
        }
        return SafetensorsReader.open(file);
    }

    @Override
    public ModelWriter create(Path file, ModelLayout layout, WriteOptions options) throws IOException {
        return SafetensorsWriter.create(file, layout, options);
    }
}
