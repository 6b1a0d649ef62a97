package dev.quant4j.eval.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The text llama-perplexity and llama-imatrix evaluate for {@code -f FILE}: the whole file, with one trailing
 * newline removed (common/arg.cpp); no escape processing (both tools turn it off).
 */
public final class EvalText {
    private EvalText() {
    }

    public static String read(Path file) throws IOException {
        String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
