package dev.quant4j.safetensors.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The reference material in ../shared; tests that need it skip with a message when it is absent. */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        return Path.of(System.getProperty("quant4j.shared", "../../shared"));
    }

    /** {@code ../shared/RELATIVE}, or a skipped test when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), p + " is absent (set -Dquant4j.shared=PATH to the shared reference"
                + " folder); skipping");
        return p;
    }
}
