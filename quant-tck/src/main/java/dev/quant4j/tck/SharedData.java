package dev.quant4j.tck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the reference material folder {@code shared/} that sits beside the project. Tests that need it
 * call {@link #require(String)}, which skips the test with a clear message when it is absent.
 * Looked up in the system property {@code quant4j.shared} (the build sets it to {@code ../shared} beside the
 * checkout; a path that does not exist, e.g. {@code none}, means no shared folder), else {@code ../shared} and
 * {@code ../../shared}.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Optional<Path> root() {
        String prop = System.getProperty("quant4j.shared");
        if (prop != null && !prop.isBlank()) {
            // an explicit location is the only one: -Dquant4j.shared=none runs as a fresh clone without shared/
            return Files.isDirectory(Path.of(prop)) ? Optional.of(Path.of(prop).toAbsolutePath().normalize())
                    : Optional.empty();
        }
        for (String candidate : new String[] {"../shared", "../../shared"}) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p.resolve("spec"))) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** {@code shared/<relative>}; skips the calling test when it does not exist. */
    public static Path require(String relative) {
        Optional<Path> root = root();
        Assumptions.assumeTrue(root.isPresent(),
                "shared/ reference folder not found beside the project (set -Dquant4j.shared=PATH); skipping");
        Path p = root.get().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared/" + relative + " is absent; skipping");
        return p;
    }
}
