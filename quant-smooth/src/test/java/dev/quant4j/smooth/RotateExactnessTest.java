package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.transform.TransformedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rotate} leaves the F32 model's function unchanged (max |Δlogit| ≤ 1e-4 · max |logit|, both models run
 * through quant-eval's forward pass) on every architecture it accepts, while readers, writers, the embedding and
 * the norms really changed; what it cannot rotate is refused by name.
 */
class RotateExactnessTest {
    private static final List<String> DENSE = List.of("token_embd.weight", "output.weight", "blk.0.attn_q.weight",
            "blk.0.attn_v.weight", "blk.0.attn_output.weight", "blk.0.ffn_up.weight", "blk.0.ffn_down.weight",
            "blk.1.ffn_gate.weight");
    private static final List<String> MOE = List.of("token_embd.weight", "blk.0.attn_k.weight",
            "blk.0.attn_output.weight", "blk.0.ffn_gate_inp.weight", "blk.0.ffn_gate_exps.weight",
            "blk.0.ffn_up_exps.weight", "blk.0.ffn_down_exps.weight");

    @TempDir
    Path tmp;

    @Test
    void stories260kHadamardAndRandomOrthogonal() throws Exception {
        Path model = ExactnessCheck.shared("models/stories260K.gguf");
        check(model, "llama", Map.of("seed", "3"), DENSE);
        check(model, "llama", Map.of("method", "random", "seed", "5"), DENSE);
    }

    @Test
    void trainedModel() throws Exception {
        check(ExactnessCheck.shared("reference/trained/tiny-shakespeare-256-f16.gguf"), "llama", Map.of(), DENSE);
    }

    @Test
    void qwen2Biases() throws Exception {
        check(ExactnessCheck.shared("reference/eval/models/synth-qwen2.gguf"), "qwen2", Map.of(), DENSE);
    }

    @Test
    void qwen3QkNorms() throws Exception {
        check(ExactnessCheck.shared("reference/eval/models/synth-qwen3.gguf"), "qwen3", Map.of(), DENSE);
    }

    @Test
    void mixtureOfExperts() throws Exception {
        check(ExactnessCheck.shared("reference/eval/models/synth-moe.gguf"), "llama", Map.of(), MOE);
        check(ExactnessCheck.shared("reference/eval/models/synth-qwen3moe.gguf"), "qwen3moe", Map.of(), MOE);
    }

    /** A tied head (no output.weight) is untied: the rotated embedding and head differ. */
    @Test
    void tiedOutputHeadIsUntied() throws Exception {
        Path tied = ExactnessCheck.tiedCopy(ExactnessCheck.shared("models/stories260K.gguf"), tmp.resolve("tied.gguf"));
        FormatProvider gguf = ExactnessCheck.REGISTRY.format("gguf");
        check(tied, "llama", Map.of(), List.of("token_embd.weight", "blk.0.attn_q.weight"));
        try (ModelReader r = gguf.open(tmp.resolve("rotate.gguf"))) {
            TensorView head = r.view(r.tensors().stream().filter(t -> t.name().equals("output.weight"))
                    .findFirst().orElseThrow(() -> new AssertionError("output.weight was not added")));
            assertEquals(64, head.rowLength());
        }
    }

    @Test
    void quantizedWeightsAreRefusedByName() throws Exception {
        Path model = ExactnessCheck.shared("reference/trained/tiny-shakespeare-256-Q4_0.gguf");
        try (ModelReader r = ExactnessCheck.REGISTRY.format("gguf").open(model)) {
            QuantException e = assertThrows(QuantException.class,
                    () -> TransformedModel.of(r, Map.of()).then(rotate(Map.of())));
            assertEquals(ErrorCode.UNSUPPORTED_TYPE, e.code());
            assertTrue(e.getMessage().contains("rotate: tensor '") && e.getMessage().contains("give the float model"), e.getMessage());
        }
    }

    @Test
    void hadamardKindFollowsTheWidth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rotation.of(36, new RotateOptions(0, "hadamard"))); // 36, 18, 9: 35, 17, 8 do not qualify
        assertTrue(e.getMessage().contains("36"), e.getMessage());
        assertTrue(Rotation.of(36, RotateOptions.defaults()) instanceof Rotation.RandomOrthogonal);
        assertTrue(Rotation.of(128, RotateOptions.defaults()) instanceof Rotation.RandomisedHadamard);
        assertTrue(Rotation.of(96, new RotateOptions(0, "hadamard")) instanceof Rotation.KroneckerHadamard);
        assertTrue(Rotation.of(96, new RotateOptions(0, "random")) instanceof Rotation.RandomOrthogonal);
        assertEquals(12, PaleyHadamard.factor(3072));
        assertEquals(20, PaleyHadamard.factor(5120));
        assertEquals(0, PaleyHadamard.factor(36));
    }

    /** Paley's matrices are Hadamard: entries ±1 and H Hᵀ = m I. */
    @Test
    void paleyMatricesAreHadamard() {
        for (int m : new int[] {4, 8, 12, 20, 24, 44, 48}) {
            float[] h = PaleyHadamard.of(m);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    assertEquals(1f, Math.abs(h[i * m + j]), "m " + m);
                    double dot = 0;
                    for (int k = 0; k < m; k++) {
                        dot += h[i * m + k] * h[j * m + k];
                    }
                    assertEquals(i == j ? m : 0, dot, "m " + m + " rows " + i + "," + j);
                }
            }
        }
    }

    /** Qᵀ is orthogonal: it keeps norms and inner products (checked on the dense and the Hadamard forms). */
    @Test
    void rotationsAreOrthogonal() {
        for (Rotation q : List.of(Rotation.of(48, new RotateOptions(0, "random")), Rotation.of(64, RotateOptions.defaults()),
                Rotation.of(96, RotateOptions.defaults()), Rotation.of(40, RotateOptions.defaults()))) {
            int n = q.size();
            float[] basis = new float[n * n];
            for (int i = 0; i < n; i++) {
                basis[i * n + i] = 1;
                q.applyTransposed(basis, i * n);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int k = 0; k < n; k++) {
                        dot += basis[i * n + k] * basis[j * n + k];
                    }
                    assertEquals(i == j ? 1 : 0, dot, 1e-6, q.getClass().getSimpleName() + " " + i + "," + j);
                }
            }
        }
    }

    private static Transform rotate(Map<String, String> options) {
        RotateProvider p = new RotateProvider();
        return p.create(p.parseOptions(options));
    }

    private void check(Path model, String arch, Map<String, String> options, List<String> changed) throws Exception {
        ExactnessCheck.check(model, runner -> Map.of(), arch, rotate(options), null, tmp.resolve("rotate.gguf"), changed);
    }
}
