package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What smoothquant and awq cannot scale exactly is refused before any work, naming the tensor. */
class LayerGroupsRefusalTest {
    @ParameterizedTest
    @CsvSource({
            "blk.0.ffn_up_shexp.weight, shared experts",
            "blk.0.ffn_gate_inp_shexp.weight, shared experts",
            "blk.0.ffn_gate_up_exps.weight, mixture-of-experts tensor",
            "blk.0.exp_probs_b.bias, mixture-of-experts tensor",
            "blk.0.attn_qkv.weight, fused QKV"})
    void refusedByName(String tensor, String message) {
        TransformInput in = model("qwen2moe", tensor);
        for (String transform : List.of("smoothquant", "awq")) {
            QuantException e = assertThrows(QuantException.class, () -> LayerGroups.of(in, transform));
            assertTrue(e.getMessage().contains(tensor) && e.getMessage().contains(message)
                    && e.getMessage().startsWith(transform + ":"), e.getMessage());
        }
    }

    /** A layer with a router must have all three expert tensors, stacked [columns, rows, experts]. */
    @ParameterizedTest
    @CsvSource({"blk.0.ffn_gate_exps.weight", "blk.0.ffn_up_exps.weight", "blk.0.ffn_down_exps.weight"})
    void routerWithoutItsExperts(String missing) {
        List<TensorInfo> t = new java.util.ArrayList<>(moe());
        t.removeIf(i -> i.name().equals(missing));
        QuantException e = assertThrows(QuantException.class, () -> LayerGroups.of(input("llama", t), "awq"));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    private static List<TensorInfo> moe() {
        return List.of(info("blk.0.attn_norm.weight", 8), info("blk.0.ffn_norm.weight", 8),
                info("blk.0.ffn_gate_inp.weight", 8, 2), info("blk.0.ffn_gate_exps.weight", 8, 4, 2),
                info("blk.0.ffn_up_exps.weight", 8, 4, 2), info("blk.0.ffn_down_exps.weight", 4, 8, 2));
    }

    private static TransformInput model(String arch, String extra) {
        List<TensorInfo> t = new java.util.ArrayList<>(moe());
        t.add(info(extra, 8, 8));
        return input(arch, t);
    }

    private static TensorInfo info(String name, long... ne) {
        Shape s = Shape.of(ne);
        return new TensorInfo(name, DType.F32, s, 0, TensorInfo.byteSize(DType.F32, s));
    }

    private static TransformInput input(String arch, List<TensorInfo> tensors) {
        Metadata md = Metadata.empty().with("general.architecture", MetaValue.text(arch))
                .with(arch + ".block_count", MetaValue.u32(1)).with(arch + ".attention.head_count", MetaValue.u32(2));
        return new TransformInput() {
            @Override
            public Metadata metadata() {
                return md;
            }

            @Override
            public List<TensorInfo> tensors() {
                return tensors;
            }

            @Override
            public TensorView view(String name) {
                throw new AssertionError("refusal must come before reading '" + name + "'");
            }

            @Override
            public Map<String, ChannelStats> stats() {
                return Map.of();
            }
        };
    }
}
