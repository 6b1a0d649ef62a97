package dev.quant4j.gguf.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file types MXFP4_MOE, Q1_0, Q2_0 (and our single-type {@code nvfp4}) on a real Mixtral-style MoE file,
 * shared/reference/eval/models/synth-moe.gguf: arch llama, 4 layers, n_embd 256, 4 heads / 2 KV heads (n_gqa 2),
 * 4 experts (stacked {@code ffn_*_exps} [256, 256, 4]), untied output [256, 512], F16 matrices, F32 norms and
 * router. The expectations are derived by hand from llama.cpp 34af94cd src/llama-quant.cpp
 * ({@code llama_tensor_get_type} and {@code llama_tensor_get_type_impl}); each names the rule it checks.
 * MixtureReferenceTest compares the same rules with llama-quantize --dry-run on the synthetic model descriptions.
 */
class NewFileTypesMoeTest {
    private final LlamaCppPlannerProvider provider = new LlamaCppPlannerProvider();

    @ParameterizedTest
    @ValueSource(strings = {"MXFP4_MOE", "Q1_0", "Q2_0", "nvfp4"})
    void perTensorTypesFollowLlamaCppRules(String fileType) throws IOException {
        TestGguf model = TestGguf.read(SharedData.require("reference/eval/models/synth-moe.gguf"));
        Plan plan = provider.create(provider.parseOptions(Map.of("file-type", fileType)))
                .plan(PlanRequest.ofNames(model.metadata(), model.tensors(), Optional.empty(),
                        MixtureReferenceTest.ALL_TYPES));
        Map<String, String> got = new TreeMap<>();  // output order (loader order) is MixtureReferenceTest's concern
        Map<String, String> expected = new TreeMap<>();
        for (TensorPlan t : plan.tensors()) {
            got.put(t.name(), t.targetType().ggmlName());
        }
        for (TensorInfo t : model.tensors()) {
            expected.put(t.name(), expected(fileType, t).ggmlName());
        }
        assertEquals(expected.toString(), got.toString());
        assertTrue(plan.warnings().stream().noneMatch(w -> w.contains(LlamaCppPlanner.FALLBACK_WARNING)),
                "every row length (256) is a whole number of blocks: no shape fallback");
        // general.file_type: llama_ftype ids 38 (MXFP4_MOE), 40 (Q1_0), 41 (Q2_0); nvfp4 writes MOSTLY_NVFP4 (39)
        int ftype = switch (fileType) {
            case "MXFP4_MOE" -> 38;
            case "Q1_0" -> 40;
            case "Q2_0" -> 41;
            default -> 39;
        };
        assertEquals(MetaValue.u32(ftype), plan.metadata().get("general.file_type").orElseThrow());
    }

    private static DType expected(String fileType, TensorInfo t) {
        String n = t.name();
        // tensor_allows_quantization: 1-D tensors (norms) and the MoE router ffn_gate_inp keep their type
        if (t.shape().rank() == 1 || n.endsWith("ffn_gate_inp.weight")) {
            return t.type();
        }
        boolean output = n.equals("output.weight");
        boolean embd = n.equals("token_embd.weight");
        return switch (fileType) {
            // rule A (OUTPUT, checked first): ftype MXFP4_MOE -> q8_0.
            // MXFP4_MOE branch (before the TOKEN_EMBD branch, so it also takes the untied token_embd):
            // ne[2] > 1 and arch not bailingmoe3 -> mxfp4 (the stacked experts), every other 2-D weight -> q8_0
            case "MXFP4_MOE" -> output ? DType.Q8_0 : t.shape().ne(2) > 1 ? DType.MXFP4 : DType.Q8_0;
            // rule A: not falcon, 256 % 128 == 0, not an IQ1/IQ2/IQ3_XXS ftype, q1_0 != q8_0 -> q6_K.
            // TOKEN_EMBD has no Q1_0 case; attn_v/attn_k/attn_q/ffn_down/attn_output/gate/up rules name no Q1_0
            // condition and the 8-expert bumps need n_expert == 8 (here 4): everything else stays q1_0
            case "Q1_0" -> output ? DType.Q6_K : DType.Q1_0;
            // rule A as for Q1_0 -> q6_K; TOKEN_EMBD: ftype TQ1_0 || TQ2_0 || Q2_0 -> q4_K; the rest stays q2_0
            case "Q2_0" -> output ? DType.Q6_K : embd ? DType.Q4_K : DType.Q2_0;
            // not a llama-quantize file type (our single-type form): no mixture rules, every quantizable tensor
            case "nvfp4" -> DType.NVFP4;
            default -> throw new IllegalArgumentException(fileType);
        };
    }
}
