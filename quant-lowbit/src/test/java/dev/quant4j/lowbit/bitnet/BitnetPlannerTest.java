package dev.quant4j.lowbit.bitnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The planner on a small llama description with a dense block and a MoE block. */
class BitnetPlannerTest {
    private static final Set<String> INSTALLED = Set.of("bitnet-absmean", "f16", "bf16", "f32", "q8_0", "tq2_0");

    /** name -> (type, shape), in file order: block 0 dense, block 1 MoE with a shared expert. */
    private static List<TensorInfo> model(UnaryOperator<TensorInfo> edit) {
        List<TensorInfo> t = new ArrayList<>();
        t.add(info("token_embd.weight", DType.F16, 256, 64));
        t.add(info("blk.0.attn_norm.weight", DType.F32, 256));
        t.add(info("blk.0.attn_q.weight", DType.F16, 256, 256));
        t.add(info("blk.0.attn_q.bias", DType.F32, 256));
        t.add(info("blk.0.attn_k.weight", DType.F16, 256, 128));
        t.add(info("blk.0.attn_output.weight", DType.F32, 192, 256));
        t.add(info("blk.0.ffn_down.weight", DType.BF16, 512, 256));
        t.add(info("blk.1.ffn_gate_inp.weight", DType.F32, 256, 4));
        t.add(info("blk.1.ffn_gate_exps.weight", DType.F16, 256, 512, 4));
        t.add(info("blk.1.ffn_up_exps.weight", DType.BF16, 256, 512, 4));
        t.add(info("blk.1.ffn_down_exps.weight", DType.F16, 512, 256, 4));
        t.add(info("blk.1.ffn_up_shexp.weight", DType.F16, 256, 512));
        t.add(info("output_norm.weight", DType.F32, 256));
        t.add(info("output.weight", DType.F16, 256, 64));
        return t.stream().map(edit).toList();
    }

    private static TensorInfo info(String name, DType type, long... ne) {
        Shape s = Shape.of(ne);
        return new TensorInfo(name, type, s, 0, TensorInfo.byteSize(type, s));
    }

    private static Metadata metadata() {
        return new Metadata(List.of(
                new Metadata.Entry("general.architecture", MetaValue.text("llama")),
                new Metadata.Entry("general.quantization_version", MetaValue.u32(2)),
                new Metadata.Entry("general.file_type", MetaValue.u32(1)),
                new Metadata.Entry("split.count", new MetaValue.Int(MetaType.UINT16, 1)),
                new Metadata.Entry("llama.block_count", MetaValue.u32(2)),
                new Metadata.Entry("tokenizer.ggml.model", MetaValue.text("gpt2"))));
    }

    private static PlanRequest request(List<TensorInfo> tensors, Set<String> installed) {
        return PlanRequest.ofNames(metadata(), tensors, Optional.empty(), installed);
    }

    private static Plan plan(String options, List<TensorInfo> tensors, Set<String> installed) {
        return planner(options).plan(request(tensors, installed));
    }

    private static Plan plan(String options) {
        return plan(options, model(t -> t), INSTALLED);
    }

    /** Through the registry, options as the CLI passes them ({@code key=value;key=value}). */
    private static Planner planner(String options) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!options.isEmpty()) {
            for (String kv : options.split(";")) {
                m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        PlannerProvider<?> p = QuantRegistry.load(BitnetPlannerTest.class.getClassLoader()).planner("bitnet-absmean");
        return create(p, m);
    }

    private static <O extends Record> Planner create(PlannerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    /** Each decision as {@code quantizer->target} or {@code copy:type}. */
    private static Map<String, String> decisions(Plan plan) {
        Map<String, String> m = new LinkedHashMap<>();
        for (TensorPlan p : plan.tensors()) {
            m.put(p.name(), p.isCopy() ? "copy:" + p.targetType().lowerName()
                    : p.quantizer() + "->" + p.targetType().lowerName());
        }
        return m;
    }

    private static TensorPlan find(Plan plan, String name) {
        return plan.tensors().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void allTensorsWithDefaults() {
        Plan plan = plan("");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("token_embd.weight", "copy:f16");
        expected.put("blk.0.attn_norm.weight", "copy:f32");
        expected.put("blk.0.attn_q.weight", "bitnet-absmean->tq2_0");
        expected.put("blk.0.attn_q.bias", "copy:f32");
        expected.put("blk.0.attn_k.weight", "bitnet-absmean->tq2_0");
        expected.put("blk.0.attn_output.weight", "f16->f16");
        expected.put("blk.0.ffn_down.weight", "bitnet-absmean->tq2_0");
        expected.put("blk.1.ffn_gate_inp.weight", "f16->f16");
        expected.put("blk.1.ffn_gate_exps.weight", "bitnet-absmean->tq2_0");
        expected.put("blk.1.ffn_up_exps.weight", "bitnet-absmean->tq2_0");
        expected.put("blk.1.ffn_down_exps.weight", "bitnet-absmean->tq2_0");
        expected.put("blk.1.ffn_up_shexp.weight", "bitnet-absmean->tq2_0");
        expected.put("output_norm.weight", "copy:f32");
        expected.put("output.weight", "copy:f16");
        assertEquals(expected, decisions(plan), "input order, one decision each");
        assertEquals(List.copyOf(expected.keySet()), plan.tensors().stream().map(TensorPlan::name).toList());

        TensorPlan q = find(plan, "blk.0.attn_q.weight");
        assertEquals(Map.of(), q.options(), "the default layout needs no option");
        assertEquals(DType.F16, q.sourceType());
        assertEquals("ternary: selected by tensors=all", q.rule());
        assertEquals(DType.BF16, find(plan, "blk.0.ffn_down.weight").sourceType());
        assertEquals("kept f16: embedding: never ternary", find(plan, "token_embd.weight").rule());
        assertEquals("kept f16: output head: never ternary", find(plan, "output.weight").rule());
        assertEquals("kept f16: MoE router: never ternary", find(plan, "blk.1.ffn_gate_inp.weight").rule());
        assertEquals("unchanged: not a linear weight", find(plan, "blk.0.attn_q.bias").rule());
        TensorPlan unfit = find(plan, "blk.0.attn_output.weight");
        assertEquals("kept f16: row length 192 is not a multiple of 256, TQ blocks cannot hold it", unfit.rule());
        assertTrue(unfit.note().contains("row length 192"), unfit.note());
        assertEquals("", q.note());
        assertEquals(List.of("1 of 14 tensor(s) kept in full precision because their rows are not multiples of 256"
                + " (kept as f16): blk.0.attn_output.weight"), plan.warnings());
        assertEquals(Set.of(), plan.importanceWithheld());
    }

    @Test
    void expertsOnlyTouchesRoutedExpertsAndTheAlwaysKeptTensors() {
        Map<String, String> d = decisions(plan("tensors=experts-only"));
        assertEquals("bitnet-absmean->tq2_0", d.get("blk.1.ffn_gate_exps.weight"));
        assertEquals("bitnet-absmean->tq2_0", d.get("blk.1.ffn_up_exps.weight"));
        assertEquals("bitnet-absmean->tq2_0", d.get("blk.1.ffn_down_exps.weight"));
        assertEquals("copy:f16", d.get("blk.1.ffn_up_shexp.weight"), "dense shared expert is not routed");
        assertEquals("copy:f16", d.get("blk.0.attn_q.weight"));
        assertEquals("copy:bf16", d.get("blk.0.ffn_down.weight"));
        assertEquals("copy:f32", d.get("blk.0.attn_output.weight"), "unselected: left alone, not kept");
        assertEquals("f16->f16", d.get("blk.1.ffn_gate_inp.weight"), "the router is kept whatever tensors says");
        assertEquals("copy:f16", d.get("token_embd.weight"));
        Plan plan = plan("tensors=experts-only");
        assertEquals("unchanged: not selected by tensors=experts-only", find(plan, "blk.0.attn_q.weight").rule());
        assertEquals(List.of(), plan.warnings(), "the unfit tensor is not selected, so not counted");
    }

    @Test
    void patternsSelectByName() {
        Map<String, String> d = decisions(plan("tensors=attn_q\\.|ffn_down"));
        assertEquals("bitnet-absmean->tq2_0", d.get("blk.0.attn_q.weight"));
        assertEquals("bitnet-absmean->tq2_0", d.get("blk.0.ffn_down.weight"));
        assertEquals("bitnet-absmean->tq2_0", d.get("blk.1.ffn_down_exps.weight"));
        assertEquals("copy:f16", d.get("blk.0.attn_k.weight"));
        assertEquals("copy:f16", d.get("blk.1.ffn_gate_exps.weight"));
    }

    @Test
    void keptPrecisionConvertsOrCopies() {
        Map<String, String> bf16 = decisions(plan("kept-precision=bf16"));
        assertEquals("bf16->bf16", bf16.get("token_embd.weight"));
        assertEquals("bf16->bf16", bf16.get("output.weight"));
        assertEquals("bf16->bf16", bf16.get("blk.1.ffn_gate_inp.weight"));
        assertEquals("bf16->bf16", bf16.get("blk.0.attn_output.weight"));
        assertEquals("copy:f32", bf16.get("output_norm.weight"), "norms are not governed by kept-precision");

        Map<String, String> f32 = decisions(plan("kept-precision=f32"));
        assertEquals("f32->f32", f32.get("token_embd.weight"));
        assertEquals("copy:f32", f32.get("blk.1.ffn_gate_inp.weight"), "already f32: copied");
        assertEquals("copy:f32", f32.get("blk.0.attn_output.weight"));
        assertEquals("kept f32: MoE router: never ternary", find(plan("kept-precision=f32"),
                "blk.1.ffn_gate_inp.weight").rule());
    }

    @Test
    void oneDimensionalTensorsAreCopied() {
        Plan plan = plan("tensors=all;kept-precision=bf16");
        for (TensorPlan p : plan.tensors()) {
            if (p.shape().rank() == 1) {
                assertTrue(p.isCopy(), p.name());
                assertEquals(p.sourceType(), p.targetType(), p.name());
                assertEquals(Map.of(), p.options(), p.name());
            }
        }
    }

    @Test
    void metadataAnnouncesTq2AsLlamaQuantizeWouldWriteIt() {
        Metadata m = plan("").metadata();
        assertEquals(List.of("general.architecture", "llama.block_count", "tokenizer.ggml.model",
                "general.quantization_version", "general.file_type"), m.entries().stream()
                .map(Metadata.Entry::key).toList(), "split keys dropped, the two keys re-appended in this order");
        assertEquals(new MetaValue.Int(MetaType.UINT32, 2), m.get("general.quantization_version").orElseThrow());
        assertEquals(new MetaValue.Int(MetaType.UINT32, 37), m.get("general.file_type").orElseThrow(), "MOSTLY_TQ2_0");
    }

    @Test
    void tq1LayoutReachesQuantizerTargetAndFileType() {
        Plan plan = plan("layout=tq1_0");
        TensorPlan q = find(plan, "blk.1.ffn_down_exps.weight");
        assertEquals(DType.TQ1_0, q.targetType());
        assertEquals("bitnet-absmean", q.quantizer());
        assertEquals(Map.of("layout", "tq1_0"), q.options());
        var quantizer = QuantRegistry.load(getClass().getClassLoader()).quantizer("bitnet-absmean");
        assertEquals(TernaryLayout.TQ1_0, ((BitnetOptions) quantizer.parseOptions(q.options())).layout(),
                "the quantizer reads the planned options");
        assertEquals(new MetaValue.Int(MetaType.UINT32, 36), plan.metadata().get("general.file_type").orElseThrow(),
                "MOSTLY_TQ1_0");
        assertEquals("general.file_type", plan.metadata().entries().getLast().key());
    }

    @Test
    void metadataWithoutFileTypeGetsBothKeysAppended() {
        Metadata in = new Metadata(List.of(new Metadata.Entry("general.architecture", MetaValue.text("llama"))));
        Plan plan = planner("").plan(PlanRequest.ofNames(in, model(t -> t), Optional.empty(), INSTALLED));
        assertEquals(List.of(new Metadata.Entry("general.architecture", MetaValue.text("llama")),
                new Metadata.Entry("general.quantization_version", MetaValue.u32(2)),
                new Metadata.Entry("general.file_type", MetaValue.u32(37))), plan.metadata().entries());
    }

    @Test
    void refusesWhenTheTernaryQuantizerIsMissing() {
        Set<String> without = Set.of("f16", "bf16", "f32");
        QuantException e = assertThrows(QuantException.class, () -> plan("", model(t -> t), without));
        assertEquals(ErrorCode.UNSUPPORTED_TYPE, e.code());
        assertTrue(e.getMessage().contains("bitnet-absmean (to write tensor 'blk.0.attn_q.weight' as tq2_0)"),
                e.getMessage());
    }

    @Test
    void refusesWhenTheKeptPrecisionQuantizerIsMissing() {
        QuantException e = assertThrows(QuantException.class,
                () -> plan("kept-precision=bf16", model(t -> t), Set.of("bitnet-absmean", "f16")));
        assertEquals(ErrorCode.UNSUPPORTED_TYPE, e.code());
        assertTrue(e.getMessage().contains("bf16 (to write tensor 'token_embd.weight' as bf16)"), e.getMessage());
        // copies need no quantizer: with f32 kept, only token_embd/output need f32 (f32 router is copied)
        assertThrows(QuantException.class, () -> plan("kept-precision=f32", model(t -> t), Set.of("bitnet-absmean")));
    }

    @Test
    void refusesQuantizedInputThatWouldBeConverted() {
        var quantizedQ = model(t -> t.name().equals("blk.0.attn_k.weight")
                ? info(t.name(), DType.Q8_0, 256, 128) : t);
        QuantException e = assertThrows(QuantException.class, () -> plan("", quantizedQ, INSTALLED));
        assertEquals(ErrorCode.INVALID_PLAN, e.code());
        assertTrue(e.getMessage().startsWith("tensor 'blk.0.attn_k.weight' is Q8_0, already quantized"), e.getMessage());

        var integerRouter = model(t -> t.name().contains("ffn_gate_inp") ? info(t.name(), DType.I32, 256, 4) : t);
        QuantException router = assertThrows(QuantException.class, () -> plan("", integerRouter, INSTALLED));
        assertTrue(router.getMessage().startsWith("tensor 'blk.1.ffn_gate_inp.weight' is I32:"), router.getMessage());

        // a quantized tensor that is left unchanged is only copied
        Plan plan = plan("tensors=experts-only", quantizedQ, INSTALLED);
        assertEquals("copy:q8_0", decisions(plan).get("blk.0.attn_k.weight"));
    }

    @Test
    void refusesAPlanWithoutTernaryWeights() {
        var dense = model(t -> t).stream().filter(t -> !t.name().contains("_exps")).toList();
        QuantException e = assertThrows(QuantException.class, () -> plan("tensors=experts-only", dense, INSTALLED));
        assertEquals(ErrorCode.INVALID_PLAN, e.code());
        assertTrue(e.getMessage().contains("use tensors=all"), e.getMessage());

        var narrow = List.of(info("blk.0.attn_q.weight", DType.F16, 64, 64), info("output.weight", DType.F16, 64, 8));
        QuantException n = assertThrows(QuantException.class, () -> plan("", narrow, INSTALLED));
        assertTrue(n.getMessage().contains("every selected tensor (blk.0.attn_q.weight) has rows that are not "
                + "multiples of 256"), n.getMessage());
    }

    @Test
    void importanceIsWithheldWithAWarningOnlyWithoutScaleOptimisation() {
        var stats = CalibrationStats.of("imatrix.gguf", List.of(
                TensorActivationStats.of("blk.0.attn_q.weight", 256, 10, new float[256])));
        Plan plan = planner("optimize-scales=false").plan(new PlanRequest(metadata(), model(t -> t), Optional.of(stats),
                request(List.of(), INSTALLED).quantizers()));
        assertEquals(Set.of("blk.0.attn_q.weight"), plan.importanceWithheld());
        assertTrue(plan.warnings().contains("importance matrix imatrix.gguf not used: optimize-scales=false keeps the "
                + "plain absmean scales"), plan.warnings().toString());
        Plan auto = planner("").plan(new PlanRequest(metadata(), model(t -> t), Optional.of(stats),
                request(List.of(), INSTALLED).quantizers()));
        assertEquals(Set.of(), auto.importanceWithheld(), "auto: the importance chooses the scales");
    }

    @Test
    void invalidPlannerOptionsAreRefusedNamingTheField() {
        QuantException e = assertThrows(QuantException.class, () -> planner("kept-precision=q8_0"));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains("kept-precision"), e.getMessage());
        QuantException mixed = assertThrows(QuantException.class, () -> planner("tensors=all,experts-only"));
        assertTrue(mixed.getMessage().contains("tensors"), mixed.getMessage());
    }
}
