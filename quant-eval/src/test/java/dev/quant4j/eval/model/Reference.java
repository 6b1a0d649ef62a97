package dev.quant4j.eval.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** llama.cpp's reference outputs in ../shared/reference/eval (skips the test when they are absent). */
final class Reference {
    private Reference() {
    }

    static Path shared() {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared"));
        Assumptions.assumeTrue(Files.isDirectory(p.resolve("reference/eval")),
                "../shared/reference/eval is absent (set -Dquant4j.shared): llama.cpp reference tests skipped");
        return p;
    }

    static Path file(String relative) {
        Path p = shared().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is absent");
        return p;
    }

    /** The 64 token ids of logits/M.ids. */
    static int[] ids(String model) throws IOException {
        return Files.readAllLines(file("reference/eval/logits/" + model + ".ids")).stream()
                .filter(s -> !s.isBlank()).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    /** The first {@code limit} ids of llama-tokenize's stories260K tokens of the tinystories sample (a long text). */
    static int[] storiesSampleIds(int limit) throws IOException {
        String text = Files.readString(file("reference/eval/tokenizer/tinystories_sample.stories260K.ids")).trim();
        return java.util.Arrays.stream(text.substring(1, text.length() - 1).split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).limit(limit).toArray();
    }

    static float[] logits(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file("reference/eval/logits/" + name + ".logits.f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Path of the GGUF model M of the logits directory. */
    static Path model(String m) {
        return switch (m) {
            case "stories260K" -> file("models/stories260K.gguf");
            case "tiny-shakespeare-256-f16" -> file("reference/trained/tiny-shakespeare-256-f16.gguf");
            case "synth-8L" -> file("reference/synth/synth-8L.gguf");
            default -> file("reference/eval/models/" + m + ".gguf");
        };
    }
}
