package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * YaRN models (reference models with rope.scaling.* keys added, {@link YarnModels}) against llama.cpp 34af94cd's
 * logits (F32 K/V cache, no flash attention), made by tools/yarn-logits/make-reference.sh: rows 7, 15, ..., 63 of
 * the 64-token sentence.
 */
class YarnLogitsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(YarnLogitsTest.class.getClassLoader());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-yarn", "synth-qwen2-yarn"})
    void matchesLlamaCpp(String name) throws Exception {
        YarnModels.Variant v = YarnModels.VARIANTS.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow();
        float[] ref = resource(name + ".logits.f32");
        Path model = v.write(REGISTRY, Reference.file(v.source()), dir);
        int[] ids = Reference.ids(v.base());
        LogitsComparison yarn = LogitsComparison.of(rows(model, ids), ref, 512);
        LogitsComparison unscaled = LogitsComparison.of(rows(Reference.model(v.base()), ids), ref, 512);
        System.err.println(name + ": " + yarn + "; the model without yarn: " + unscaled);
        // stories260K has F32 weights: the F32-cache reference is pure F32 (1e-4 as for logits/*.kvf32-nofa);
        // synth-qwen2's F16 weights make llama.cpp round activations to F16 (eval README: 0.05, argmax equal)
        double tolerance = v.base().equals("stories260K") ? 1e-4 : 0.05;
        assertTrue(yarn.maxDiff() <= tolerance, yarn.toString());
        assertEquals(0, yarn.argmaxMismatches(), yarn.toString());
        // not vacuous: YaRN changes the logits far beyond the tolerance
        assertTrue(unscaled.maxDiff() > 20 * tolerance, unscaled.toString());
    }

    private static float[] rows(Path model, int[] ids) throws IOException {
        try (ModelRunner runner = ModelRunner.open(model, REGISTRY, RunOptions.defaults().withThreads(2))) {
            float[] all = runner.logits(ids);
            int vocab = runner.vocabSize();
            float[] out = new float[YarnModels.ROWS.length * vocab];
            for (int i = 0; i < YarnModels.ROWS.length; i++) {
                System.arraycopy(all, YarnModels.ROWS[i] * vocab, out, i * vocab, vocab);
            }
            return out;
        }
    }

    /** A resource of yarn/, checked against yarn/SHA256SUMS. */
    private static float[] resource(String name) throws IOException, NoSuchAlgorithmException {
        byte[] bytes = read(name);
        Map<String, String> sums = new String(read("SHA256SUMS"), StandardCharsets.US_ASCII).lines()
                .map(l -> l.split("\\s+\\*?")).collect(Collectors.toMap(p -> p[1], p -> p[0]));
        assertEquals(sums.get(name), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                name + " does not match SHA256SUMS");
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = YarnLogitsTest.class.getResourceAsStream("yarn/" + name)) {
            if (in == null) {
                throw new IOException("test resource yarn/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }
}
