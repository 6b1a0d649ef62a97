package dev.quant4j.eval.tokenizer;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** The llama.cpp reference material in shared/ and how to read it (skips the test when shared/ is absent). */
final class TokenizerTestData {
    static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    private TokenizerTestData() {
    }

    static Optional<Path> root() {
        String prop = System.getProperty("quant4j.shared");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Optional.of(Path.of(prop).toAbsolutePath().normalize());
        }
        for (String candidate : new String[] {"../shared", "../../shared"}) {
            if (Files.isDirectory(Path.of(candidate, "spec"))) {
                return Optional.of(Path.of(candidate).toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    static Path require(String relative) {
        Optional<Path> root = root();
        Assumptions.assumeTrue(root.isPresent(),
                "shared/ reference folder not found beside the project (set -Dquant4j.shared=PATH); skipping");
        Path p = root.get().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared/" + relative + " is absent; skipping");
        return p;
    }

    static Metadata metadata(Path gguf) throws IOException {
        QuantRegistry registry = QuantRegistry.load(TokenizerTestData.class.getClassLoader());
        try (ModelReader reader = registry.format("gguf").open(gguf)) {
            return reader.metadata();
        }
    }

    static Tokenizer tokenizer(Path gguf) throws IOException {
        return Tokenizers.fromMetadata(metadata(gguf));
    }

    /** The test strings of a {@code .inp} file (each followed by the separator; the file ends with one). */
    static List<String> inputs(Path inp) throws IOException {
        String all = Files.readString(inp, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(Arrays.asList(all.split(SEPARATOR, -1)));
        if (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        return out;
    }

    /** The ids of a {@code .out} file: one line per string, each id preceded by a space. */
    static List<int[]> outputs(Path out) throws IOException {
        List<int[]> ids = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String t = line.trim();
            ids.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray());
        }
        return ids;
    }

    /** A llama-tokenize {@code --ids} list: {@code [1, 2, 3]}. */
    static int[] idList(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IOException(file + ": not a [..] id list");
        }
        String body = s.substring(1, s.length() - 1).trim();
        return body.isEmpty() ? new int[0]
                : Arrays.stream(body.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
