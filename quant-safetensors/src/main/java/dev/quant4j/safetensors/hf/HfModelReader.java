package dev.quant4j.safetensors.hf;

import dev.quant4j.api.spi.ModelReader;
import java.io.IOException;
import java.nio.file.Path;

public final class HfModelReader {
    private HfModelReader() {
    }

    public static ModelReader open(Path dir) throws IOException {
        return dev.quant4j.safetensors.io.SafetensorsReader.open(dir);
    }
}
