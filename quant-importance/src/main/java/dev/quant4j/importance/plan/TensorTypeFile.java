package dev.quant4j.importance.plan;

import dev.quant4j.api.tensor.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A plan as llama-quantize's {@code --tensor-type-file}: one {@code PATTERN=TYPE} entry per line (llama-quantize
 * reads whitespace-separated entries, so no comments), PATTERN the tensor's exact name anchored and escaped
 * ({@code ^blk\.0\.attn_q\.weight$}), TYPE ggml's spelling ({@code q4_K}). llama-quantize lower-cases
 * patterns and searches them with ECMAScript regexes; anchors and backslash escapes mean the same there.
 */
final class TensorTypeFile {
    private static final String SPECIAL = "\\^$.|?*+()[]{}";

    private TensorTypeFile() {
    }

    /** One entry per tensor: exact-name pattern and type. */
    static String entry(String tensor, DType type) {
        return pattern(tensor) + "=" + type.ggmlName();
    }

    static String pattern(String tensor) {
        StringBuilder sb = new StringBuilder("^");
        for (int i = 0; i < tensor.length(); i++) {
            char c = tensor.charAt(i);
            if (SPECIAL.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('$').toString();
    }

    static void write(Path file, List<String> entries) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, String.join("\n", entries) + "\n", StandardCharsets.UTF_8);
    }
}
