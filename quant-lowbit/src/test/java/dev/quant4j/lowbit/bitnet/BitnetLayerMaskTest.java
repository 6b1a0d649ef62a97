package dev.quant4j.lowbit.bitnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitnetLayerMaskTest {
    private static final Shape MATRIX = Shape.of(2048, 512);
    private static final Shape EXPERTS = Shape.of(2048, 768, 8);

    private static BitnetLayerMask mask(String tensors, KeptPrecision keep) {
        return new BitnetLayerMask(new BitnetOptions(TernaryLayout.TQ2_0, 256, List.of(tensors.split(";")), keep));
    }

    /** Decision as a short string: T:tq2_0, K:f16, or U. */
    private static String decide(BitnetLayerMask m, String name, Shape shape) {
        return switch (m.decide(name, shape)) {
            case LayerDecision.Ternary t -> "T:" + t.type().lowerName();
            case LayerDecision.Keep k -> "K:" + k.type().lowerName();
            case LayerDecision.Unchanged u -> "U";
        };
    }

    @ParameterizedTest
    @CsvSource({
        "all, blk.0.attn_q.weight, T:tq2_0",
        "all, blk.3.ffn_down.weight, T:tq2_0",
        "all, blk.3.ffn_up_exps.weight, T:tq2_0",
        "all, blk.3.ffn_down_shexp.weight, T:tq2_0",
        "all, token_embd.weight, K:bf16",
        "all, output.weight, K:bf16",
        "all, blk.3.ffn_gate_inp.weight, K:bf16",
        "all, blk.3.ffn_gate_inp_shexp.weight, K:bf16",
        "all, blk.3.attn_q.bias, U",
        "experts-only, blk.3.ffn_gate_exps.weight, T:tq2_0",
        "experts-only, blk.3.ffn_down_exps.weight, T:tq2_0",
        "experts-only, blk.3.ffn_gate_up_exps.weight, T:tq2_0",
        "experts-only, blk.3.ffn_down_shexp.weight, U",
        "experts-only, blk.3.attn_k.weight, U",
        "experts-only, blk.3.ffn_gate_inp.weight, K:bf16",
        "experts-only, output.weight, K:bf16",
        "attn_(q|k)\\.;ffn_up, blk.1.attn_q.weight, T:tq2_0",
        "attn_(q|k)\\.;ffn_up, blk.1.attn_v.weight, U",
        "attn_(q|k)\\.;ffn_up, blk.1.ffn_up_exps.weight, T:tq2_0",
        "output|embd, output.weight, K:bf16",
        "output|embd, token_embd.weight, K:bf16",
    })
    void decisions(String tensors, String name, String expected) {
        Shape shape = name.contains("_exps") ? EXPERTS : MATRIX;
        assertEquals(expected, decide(mask(tensors, KeptPrecision.BF16), name, shape));
    }

    @ParameterizedTest
    @CsvSource({"blk.0.attn_norm.weight", "output_norm.weight", "blk.0.attn_q_norm.weight"})
    void normsAndVectorsAreNotTouched(String name) {
        BitnetLayerMask m = mask("all", KeptPrecision.F32);
        assertEquals("U", decide(m, name, Shape.of(2048)));
        assertEquals("U", decide(m, name, Shape.of(128, 2)));
    }

    @ParameterizedTest
    @CsvSource({"F16, f16", "BF16, bf16", "F32, f32"})
    void keptPrecisionAndLayoutComeFromOptions(KeptPrecision keep, String expected) {
        assertEquals("K:" + expected, decide(mask("all", keep), "token_embd.weight", MATRIX));
        var tq1 = new BitnetLayerMask(new BitnetOptions(TernaryLayout.TQ1_0, 256, List.of("all"), keep));
        assertEquals(new LayerDecision.Ternary(DType.TQ1_0, "selected by tensors=all"),
                tq1.decide("blk.0.attn_output.weight", MATRIX));
    }

    @ParameterizedTest
    @CsvSource({"64", "172", "1000"})
    void selectedWeightsThatAreNotWholeBlocksAreKept(long rowLength) {
        LayerDecision d = mask("all", KeptPrecision.F16).decide("blk.0.ffn_down.weight", Shape.of(rowLength, 64));
        LayerDecision.Keep k = assertInstanceOf(LayerDecision.Keep.class, d);
        assertEquals(DType.F16, k.type());
        assertEquals("row length " + rowLength + " is not a multiple of 256, TQ blocks cannot hold it", k.reason());
        assertTrue(k.unfitRows(), "kept for its shape");
        LayerDecision.Keep embd = assertInstanceOf(LayerDecision.Keep.class,
                mask("all", KeptPrecision.F16).decide("token_embd.weight", Shape.of(rowLength, 64)));
        assertFalse(embd.unfitRows(), "an embedding is kept by rule, whatever its shape");
    }
}
