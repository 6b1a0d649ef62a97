package dev.quant4j.gguf.io;

import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers: the real GGUF files of shared/ and a copy through reader and writer. */
final class GgufFiles {
    static final GgufFormatProvider FORMAT = new GgufFormatProvider();

    private GgufFiles() {
    }

    /** Every *.gguf under shared/models and shared/reference (skips the test when shared/ is absent). */
    static List<Path> realFiles() {
        Path models = SharedData.require("models");
        Path reference = SharedData.root().orElseThrow().resolve("reference");
        try (Stream<Path> a = Files.walk(models); Stream<Path> b = Files.exists(reference) ? Files.walk(reference)
                : Stream.empty()) {
            return Stream.concat(a, b).filter(p -> p.getFileName().toString().endsWith(".gguf")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path stories() {
        return SharedData.require("models/stories260K.gguf");
    }

    /** Writes {@code reader}'s model to {@code out} with its layout, copying every tensor's bytes. */
    static List<Path> copy(ModelReader reader, Path out, WriteOptions options) throws IOException {
        ModelLayout layout = reader.layout();
        try (ModelWriter w = FORMAT.create(out, layout, options)) {
            List<TensorInfo> tensors = reader.tensors();
            for (int i = 0; i < tensors.size(); i++) {
                w.tensorData(i).copyFrom(reader.view(tensors.get(i)).data());
            }
            w.commit();
            return w.files();
        }
    }
}
