package dev.quant4j.api.spi;

import java.io.IOException;
import java.nio.file.Path;

/** Opens a model container with whatever installed format recognises it (the engine passes the registry's). */
@FunctionalInterface
public interface ModelOpener {
    ModelReader open(Path file) throws IOException;
}
