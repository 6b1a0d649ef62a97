package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.transform.TransformWriter;
import dev.quant4j.eval.transform.TransformedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * smoothquant, awq and smoothquant's search on the mixture-of-experts models (Mixtral-style llama and qwen3moe):
 * the router, every expert's gate/up (one group, into ffn_norm) and each expert's down (into its up rows) are
 * scaled, and the F32 logits stay within 1e-4 relative; per-expert statistics follow the scales exactly.
 */
class MoeExactnessTest {
    private static final List<String> MOE_CHANGED = List.of("blk.0.ffn_norm.weight", "blk.0.ffn_gate_inp.weight",
            "blk.0.ffn_gate_exps.weight", "blk.0.ffn_up_exps.weight", "blk.0.ffn_down_exps.weight",
            "blk.1.ffn_down_exps.weight", "blk.0.attn_norm.weight");

    @TempDir
    Path tmp;

    private static Path model(String arch) {
        return ExactnessCheck.shared("reference/eval/models/" + (arch.equals("llama") ? "synth-moe" : "synth-" + arch)
                + ".gguf");
    }

    private static Transform smoothquant(Map<String, String> options) {
        SmoothQuantProvider p = new SmoothQuantProvider();
        return p.create(p.parseOptions(options));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3moe"})
    void smoothquant(String arch) throws Exception {
        ExactnessCheck.check(model(arch), ExactnessCheck.randomIds(false), arch, smoothquant(Map.of()), null,
                tmp.resolve("sq.gguf"), MOE_CHANGED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3moe"})
    void awq(String arch) throws Exception {
        ExactnessCheck.check(model(arch), ExactnessCheck.randomIds(true), arch,
                AwqExactnessTest.awq(Map.of("grid", "8")), "q2_k", tmp.resolve("awq.gguf"),
                List.of("blk.0.ffn_norm.weight", "blk.0.ffn_gate_inp.weight", "blk.0.ffn_gate_exps.weight",
                        "blk.0.ffn_down_exps.weight"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3moe"})
    void smoothquantSearch(String arch) throws Exception {
        ExactnessCheck.check(model(arch), ExactnessCheck.randomIds(true), arch, smoothquant(Map.of("search", "4")),
                "q2_k", tmp.resolve("sqs.gguf"), List.of("blk.0.ffn_norm.weight", "blk.0.ffn_gate_exps.weight"));
    }
}
