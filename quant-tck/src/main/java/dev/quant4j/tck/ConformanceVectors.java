package dev.quant4j.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the llama.cpp reference vectors of one ggml type come from: the full set in {@code shared/vectors/}
 * when it is beside the project, else the compact subset bundled in this jar ({@code conformance/}, made by
 * {@code tools/make-conformance-subset.py}: the first rows of every case, with a SHA256SUMS file).
 */
public final class ConformanceVectors {
    /** System property naming a folder where each type's test run is recorded for the end-of-build summary. */
    public static final String SUMMARY_DIR = "quant4j.conformance.summary";

    private ConformanceVectors() {
    }

    /**
     * The folder of one type and a description of its origin.
     *
     * @param folder holds cases.json and the data files
     * @param origin {@code full} or {@code subset}
     */
    public record Source(Path folder, String origin) {
    }

    /** The full set's folder for {@code type}, else the bundled subset's; skips the test when neither has it. */
    public static Source locate(String type) {
        Optional<Path> full = SharedData.root().map(r -> r.resolve("vectors").resolve(type))
                .filter(p -> Files.isRegularFile(p.resolve("cases.json")));
        if (full.isPresent()) {
            return new Source(full.get(), "full");
        }
        Optional<Path> subset = bundled(type + "/cases.json").map(Path::getParent);
        Assumptions.assumeTrue(subset.isPresent(), "no reference vectors for " + type
                + " (neither shared/vectors/" + type + " nor the bundled conformance subset); skipping");
        return new Source(subset.get(), "subset");
    }

    /** The bundled subset's file {@code relative} (e.g. {@code SHA256SUMS}), as a path in this jar or folder. */
    public static Optional<Path> bundled(String relative) {
        URL url = ConformanceVectors.class.getResource("conformance/" + relative);
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened by an earlier call; Path.of finds it
                }
            }
            return Optional.of(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the bundled conformance vectors at " + url, e);
        }
    }

    /**
     * Records that {@code tests} reference tests of {@code type} ran in {@code testClass} from {@code source}, in
     * the folder the {@value #SUMMARY_DIR} property names (the build prints one line from these at its end);
     * no-op without it.
     */
    public static void recordRun(Class<?> testClass, String type, int tests, Source source) {
        String dir = System.getProperty(SUMMARY_DIR);
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path d = Files.createDirectories(Path.of(dir));
            Path tmp = Files.createTempFile(d, type, ".tmp");
            Files.writeString(tmp, type + " " + tests + " " + source.origin() + " " + source.folder().toUri() + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, d.resolve(type + "-" + testClass.getName() + ".txt"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the conformance run in " + dir, e);
        }
    }
}
