package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end against llama-quantize: every reference output in shared/reference/ is reproduced from its
 * input with the same arguments, and must have the same tensors, the same type per tensor, byte-identical
 * tensor data and equal metadata. References that need a type we do not implement are skipped, saying which.
 */
class LlamaCppReferenceTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(LlamaCppReferenceTest.class.getClassLoader());

    record Case(String reference, String input, String fileType, String imatrix, Map<String, String> options) {
        @Override
        public String toString() {
            return reference;
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String st = "models/stories260K.gguf";
        for (String t : List.of("F16", "BF16", "Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "TQ2_0", "IQ4_XS")) {
            c.add(new Case("stories260K-" + t + ".gguf", st, t, null, Map.of()));
        }
        for (String t : List.of("Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "IQ4_NL")) {
            c.add(new Case("stories260K-" + t + ".gguf", st, t, null, Map.of("tensor-type", "ffn_down=f16")));
        }
        c.add(new Case("stories260K-Q4_K_M-imat.gguf", st, "Q4_K_M", "reference/stories260K-imatrix.gguf", Map.of()));
        c.add(new Case("stories260K-Q4_0-imat.gguf", st, "Q4_0", "reference/stories260K-imatrix.gguf",
                Map.of("tensor-type", "ffn_down=f16")));
        String sy = "reference/synth/synth-8L.gguf";
        for (String t : List.of("Q8_0", "Q4_0", "Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "IQ4_XS", "TQ1_0")) {
            c.add(new Case("synth/synth-8L-" + t + ".gguf", sy, t, null, Map.of()));
        }
        for (String t : List.of("Q4_K_M", "IQ2_XXS", "IQ1_S")) {
            c.add(new Case("synth/synth-8L-" + t + "-imat.gguf", sy, t, "reference/synth/synth-8L-imatrix.gguf", Map.of()));
        }
        String tr = "reference/trained/tiny-shakespeare-256-f16.gguf";
        for (String t : List.of("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q4_0", "Q3_K_M", "Q2_K", "IQ4_XS", "TQ2_0")) {
            c.add(new Case("trained/tiny-shakespeare-256-" + t + ".gguf", tr, t, null, Map.of()));
        }
        for (String t : List.of("Q4_K_M", "Q3_K_M", "IQ3_XXS", "IQ2_XXS", "IQ1_S")) {
            c.add(new Case("trained/tiny-shakespeare-256-" + t + "-imat.gguf", tr, t,
                    "reference/trained/tiny-shakespeare-256-imatrix.gguf", Map.of()));
        }
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reproducesLlamaQuantize(Case c, @TempDir Path tmp) throws IOException {
        Path expected = SharedData.require("reference/" + c.reference());
        Path input = SharedData.require(c.input());
        for (String needed : List.of("gguf")) {
            Assumptions.assumeTrue(REGISTRY.find(ProviderKind.FORMAT, needed).isPresent(), "format " + needed + " not installed");
        }
        Set<String> missing = new TreeSet<>();
        try (ModelReader ref = REGISTRY.format("gguf").open(expected)) {
            for (TensorInfo t : ref.tensors()) {
                if (REGISTRY.find(ProviderKind.QUANTIZER, t.type().lowerName()).isEmpty()) {
                    missing.add(t.type().lowerName());
                }
            }
        }
        Assumptions.assumeTrue(missing.isEmpty(), c.reference() + ": types not implemented yet: " + missing);

        Map<String, String> options = new LinkedHashMap<>(c.options());
        options.put("file-type", c.fileType());
        Path out = tmp.resolve("out.gguf");
        Path imatrix = c.imatrix() == null ? null : SharedData.require(c.imatrix());
        QuantizeJob.builder(REGISTRY).input(input).output(out).planner("llama-cpp", options)
                .importance(imatrix)
                .threads(2).measureError(false).build().run();

        try (ModelReader want = REGISTRY.format("gguf").open(expected); ModelReader got = REGISTRY.format("gguf").open(out)) {
            compareMetadata(c, want.metadata(), got.metadata(), imatrix);
            assertEquals(want.tensors().stream().map(TensorInfo::name).toList(),
                    got.tensors().stream().map(TensorInfo::name).toList(), c + ": tensor order");
            List<String> wrongType = new ArrayList<>();
            List<String> wrongBytes = new ArrayList<>();
            for (int i = 0; i < want.tensors().size(); i++) {
                TensorInfo w = want.tensors().get(i);
                TensorInfo g = got.tensors().get(i);
                if (w.type() != g.type() || !w.shape().equals(g.shape())) {
                    wrongType.add(w.name() + ": want " + w.type().lowerName() + " " + w.shape() + ", got "
                            + g.type().lowerName() + " " + g.shape());
                    continue;
                }
                long mismatch = want.view(w).data().mismatch(got.view(g).data());
                if (mismatch >= 0) {
                    wrongBytes.add(w.name() + " (" + w.type().lowerName() + ") first differs at byte " + mismatch);
                }
            }
            if (!wrongType.isEmpty() || !wrongBytes.isEmpty()) {
                fail(c + ": " + wrongType.size() + " tensors with other types " + wrongType + "; " + wrongBytes.size()
                        + " with other bytes " + wrongBytes);
            }
        }
        if (imatrix == null) {
            // with an imatrix the recorded path differs (see compareMetadata), and so do the offsets after it
            assertEquals(-1, Files.mismatch(expected, out), c + ": the whole file is byte-identical");
        }
    }

    /**
     * Metadata must be equal key for key, in order. The one documented difference: {@code quantize.imatrix.file}
     * records the imatrix path as it was given (llama-quantize's was run beside the file, ours gets an
     * absolute path).
     */
    private static void compareMetadata(Case c, Metadata want, Metadata got, Path imatrix) {
        assertEquals(want.entries().stream().map(Metadata.Entry::key).toList(),
                got.entries().stream().map(Metadata.Entry::key).toList(), c + ": metadata keys in order");
        for (Metadata.Entry e : want.entries()) {
            Object expected = e.key().equals("quantize.imatrix.file") ? new MetaValue.Text(imatrix.toString()) : e.value();
            assertEquals(expected, got.get(e.key()).orElseThrow(), c + ": metadata " + e.key());
        }
    }
}
