package dev.quant4j.integer.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PerLayerPlannerTest {
    private static final Set<String> INSTALLED = Set.of("int8", "int4", "fp8_e4m3", "fp8_e5m2", "q8_0", "q4_k", "foo");
    private final PerLayerPlannerProvider provider = new PerLayerPlannerProvider();

    private static TensorInfo t(String name, DType type, long... ne) {
        Shape s = Shape.of(ne);
        return new TensorInfo(name, type, s, 0, TensorInfo.byteSize(type, s));
    }

    private static final List<TensorInfo> MODEL = List.of(
            t("token_embd.weight", DType.F16, 64, 10),
            t("blk.0.attn_norm.weight", DType.F32, 64),
            t("blk.0.attn_q.weight", DType.F32, 64, 64),
            t("blk.0.attn_k.weight", DType.Q4_K, 256, 4),
            t("blk.0.ffn_down.weight", DType.BF16, 96, 64),
            t("blk.0.ffn_norm_2d.weight", DType.F32, 64, 2),
            t("blk.0.bias_col.weight", DType.F32, 64, 1),
            t("output.weight", DType.F16, 64, 10));

    private static PlanRequest request(List<TensorInfo> tensors) {
        Metadata md = Metadata.empty().with("general.architecture", MetaValue.text("llama"));
        return PlanRequest.ofNames(md, tensors, Optional.empty(), INSTALLED);
    }

    private Plan plan(Map<String, String> options) {
        return provider.create(provider.parseOptions(options)).plan(request(MODEL));
    }

    private static Map<String, TensorPlan> byName(Plan p) {
        return p.tensors().stream().collect(Collectors.toMap(TensorPlan::name, Function.identity()));
    }

    @Test
    void decidesEveryTensorByTheDocumentedRules() {
        Plan p = plan(Map.of("overrides",
                "blk\\.0\\.attn_q\\.weight=int4:group-size=16,blk\\..*\\.ffn_.*=q8_0,output.weight=copy,nothing=int8"));
        assertEquals(MODEL.stream().map(TensorInfo::name).toList(), p.tensors().stream().map(TensorPlan::name).toList());
        assertEquals("llama", p.metadata().getString("general.architecture").orElseThrow());
        Map<String, TensorPlan> m = byName(p);

        TensorPlan emb = m.get("token_embd.weight");
        assertEquals("int8", emb.quantizer());
        assertEquals(DType.I8, emb.targetType());
        assertEquals(DType.F16, emb.sourceType());
        assertEquals(Map.of(), emb.options());
        assertEquals("default -> int8", emb.rule());
        // 10 rows of (4-byte scale + 64 codes)
        assertEquals("custom layout int8/per-row (680 bytes), not ggml i8 bytes", emb.note());

        TensorPlan q = m.get("blk.0.attn_q.weight");
        assertEquals("int4", q.quantizer());
        assertEquals(DType.Q4_1, q.targetType());
        assertEquals(Map.of("group-size", "16"), q.options());
        assertEquals("override 'blk\\.0\\.attn_q\\.weight=int4:group-size=16' -> int4:group-size=16", q.rule());

        TensorPlan down = m.get("blk.0.ffn_down.weight");
        assertEquals("q8_0", down.quantizer());
        assertEquals(DType.Q8_0, down.targetType());
        assertEquals("", down.note());

        // the ffn override comes before the keep rule, so this 2-D "norm" follows it
        assertEquals("q8_0", m.get("blk.0.ffn_norm_2d.weight").quantizer());

        assertCopy(m.get("blk.0.attn_norm.weight"), DType.F32, "1-d tensor kept");
        assertCopy(m.get("blk.0.bias_col.weight"), DType.F32, "1-d tensor kept");
        assertCopy(m.get("output.weight"), DType.F16, "override 'output.weight=copy'");
        assertCopy(m.get("blk.0.attn_k.weight"), DType.Q4_K, "source already quantized");

        assertEquals(List.of("tensor 'blk.0.attn_k.weight' is q4_k already; copied unchanged",
                "override 'nothing=int8' matched no tensor"), p.warnings());
    }

    private static void assertCopy(TensorPlan t, DType type, String rule) {
        assertTrue(t.isCopy(), t.name());
        assertNull(t.quantizer());
        assertEquals(type, t.targetType());
        assertEquals(type, t.sourceType());
        assertEquals(rule, t.rule());
    }

    @Test
    void keepPatternsAndDefaultMethodOptions() {
        Map<String, TensorPlan> m = byName(plan(Map.of("method", "fp8_e4m3:granularity=per-tensor",
                "keep", ".*norm.*,token_embd\\..*")));
        assertTrue(m.get("blk.0.ffn_norm_2d.weight").isCopy());
        assertEquals("keep '.*norm.*'", m.get("blk.0.ffn_norm_2d.weight").rule());
        assertEquals("keep 'token_embd\\..*'", m.get("token_embd.weight").rule());
        TensorPlan out = m.get("output.weight");
        assertEquals("fp8_e4m3", out.quantizer());
        assertEquals(Map.of("granularity", "per-tensor"), out.options());
        assertEquals(DType.I8, out.targetType());
        assertTrue(out.note().contains("fp8_e4m3/per-tensor (644 bytes)"), out.note());
    }

    @Test
    void firstMatchingOverrideWinsAndExactNamesMatch() {
        // "output.weight" as a regex would also match "outputXweight"; as an exact name it matches itself
        Map<String, TensorPlan> m = byName(plan(Map.of("overrides", "output.weight=int4:group-size=8,output.*=copy")));
        assertEquals("int4", m.get("output.weight").quantizer());
    }

    @Test
    void unknownMethodIsRefusedNamingTheTensor() {
        var e = assertThrows(QuantException.class, () -> plan(Map.of("overrides", "blk\\.0\\.attn_q\\.weight=int9")));
        assertEquals(ErrorCode.INVALID_PLAN, e.code());
        assertTrue(e.getMessage().contains("'blk.0.attn_q.weight'") && e.getMessage().contains("'int9'")
                && e.getMessage().contains("Installed: [foo, fp8_e4m3"), e.getMessage());
        var unused = assertThrows(QuantException.class, () -> plan(Map.of("overrides", "nothing=int9")));
        assertTrue(unused.getMessage().contains("override 'nothing=int9'"), unused.getMessage());
    }

    @Test
    void shapesAMethodCannotTakeAreRefusedNamingTheTensor() {
        var seed = assertThrows(QuantException.class, () -> plan(Map.of("method", "int4:group-size=48")));
        assertEquals(ErrorCode.INVALID_PLAN, seed.code());
        assertTrue(seed.getMessage().contains("'token_embd.weight'") && seed.getMessage().contains("group size 48")
                && seed.getMessage().contains("chosen by default"), seed.getMessage());
        var ggml = assertThrows(QuantException.class,
                () -> plan(Map.of("overrides", "blk\\.0\\.ffn_down\\.weight=q4_k")));
        assertEquals(ErrorCode.INVALID_PLAN, ggml.code());
        assertTrue(ggml.getMessage().contains("'blk.0.ffn_down.weight'") && ggml.getMessage().contains("96")
                && ggml.getMessage().contains("256"), ggml.getMessage());
    }

    @Test
    void badMethodOptionsAndUnknownTypesAreRefused() {
        var opt = assertThrows(QuantException.class, () -> plan(Map.of("method", "int8:granularity=diagonal")));
        assertEquals(ErrorCode.INVALID_OPTION, opt.code());
        assertTrue(opt.getMessage().contains("'token_embd.weight'") && opt.getMessage().contains("granularity"),
                opt.getMessage());
        var foo = assertThrows(QuantException.class, () -> plan(Map.of("method", "foo")));
        assertEquals(ErrorCode.INVALID_PLAN, foo.code());
        assertTrue(foo.getMessage().contains("cannot tell") && foo.getMessage().contains("'foo'"), foo.getMessage());
        var requant = assertThrows(QuantException.class,
                () -> plan(Map.of("overrides", "blk\\.0\\.attn_k\\.weight=int8")));
        assertEquals(ErrorCode.ALREADY_QUANTIZED, requant.code());
        assertTrue(requant.getMessage().contains("'blk.0.attn_k.weight'"), requant.getMessage());
    }

    @Test
    void invalidPlannerOptionsNameTheField() {
        assertInvalid(Map.of("overrides", "no-equals-sign"), "overrides");
        assertInvalid(Map.of("overrides", "[a-=int8"), "overrides");
        assertInvalid(Map.of("overrides", "a=int8:group-size"), "overrides");
        assertInvalid(Map.of("keep", "(unclosed"), "keep");
        assertInvalid(Map.of("method", "Int8!"), "method");
        assertInvalid(Map.of("method", "copy:x=1"), "method");
        assertInvalid(Map.of("methd", "int8"), "methd");
    }

    private void assertInvalid(Map<String, String> opts, String field) {
        var e = assertThrows(QuantException.class, () -> provider.parseOptions(opts));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void methodSpecText() {
        MethodSpec s = MethodSpec.parse(" int8 : granularity=per-group : group-size=64 ", "method");
        assertEquals("int8", s.name());
        assertEquals(Map.of("granularity", "per-group", "group-size", "64"), s.options());
        assertEquals("int8:granularity=per-group:group-size=64", s.toString());
        assertEquals("per-layer", provider.descriptor().name());
        assertEquals(PerLayerOptions.defaults(), provider.defaultOptions());
    }
}
