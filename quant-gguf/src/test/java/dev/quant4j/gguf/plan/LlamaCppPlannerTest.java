package dev.quant4j.gguf.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Behaviour the dry-run reference data cannot show: refusals of real runs, our deviation, metadata. */
class LlamaCppPlannerTest {
    private final LlamaCppPlannerProvider provider = new LlamaCppPlannerProvider();

    /** A 2-layer llama: 8 heads, 2 KV heads, rows of {@code ff} in ffn_down, F16 weights. */
    static List<TensorInfo> tensors(long embd, long ff, DType weights) {
        List<TensorInfo> t = new ArrayList<>();
        t.add(info("token_embd.weight", weights, embd, 32));
        t.add(info("output_norm.weight", DType.F32, embd));
        t.add(info("output.weight", weights, embd, 32));
        for (int l = 0; l < 2; l++) {
            String p = "blk." + l + ".";
            t.add(info(p + "attn_norm.weight", DType.F32, embd));
            t.add(info(p + "attn_q.weight", weights, embd, embd));
            t.add(info(p + "attn_k.weight", weights, embd, embd / 4));
            t.add(info(p + "attn_v.weight", weights, embd, embd / 4));
            t.add(info(p + "attn_output.weight", weights, embd, embd));
            t.add(info(p + "ffn_norm.weight", DType.F32, embd));
            t.add(info(p + "ffn_gate.weight", weights, embd, ff));
            t.add(info(p + "ffn_up.weight", weights, embd, ff));
            t.add(info(p + "ffn_down.weight", weights, ff, embd));
        }
        return t;
    }

    static TensorInfo info(String name, DType type, long... ne) {
        Shape s = Shape.of(ne);
        return new TensorInfo(name, type, s, 0, TensorInfo.byteSize(type, s));
    }

    static Metadata metadata() {
        return new Metadata(List.of(
                new Metadata.Entry("general.architecture", MetaValue.text("llama")),
                new Metadata.Entry("general.name", MetaValue.text("tiny")),
                new Metadata.Entry("general.file_type", MetaValue.u32(1)),
                new Metadata.Entry("split.count", new MetaValue.Int(MetaType.UINT16, 1)),
                new Metadata.Entry("llama.block_count", MetaValue.u32(2)),
                new Metadata.Entry("llama.attention.head_count", MetaValue.u32(8)),
                new Metadata.Entry("llama.attention.head_count_kv", MetaValue.u32(2)),
                new Metadata.Entry("general.quantization_version", MetaValue.u32(2)),
                new Metadata.Entry("llama.context_length", MetaValue.u32(128))));
    }

    private Plan plan(Map<String, String> options, List<TensorInfo> tensors, Optional<CalibrationStats> imatrix,
                      Set<String> installed) {
        return provider.create(provider.parseOptions(options))
                .plan(PlanRequest.ofNames(metadata(), tensors, imatrix, installed));
    }

    private Plan plan(Map<String, String> options, List<TensorInfo> tensors) {
        return plan(options, tensors, Optional.empty(), MixtureReferenceTest.ALL_TYPES);
    }

    private static TensorPlan find(Plan p, String name) {
        return p.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void discoverableThroughTheRegistry() {
        QuantRegistry r = QuantRegistry.load(getClass().getClassLoader());
        assertEquals(LlamaCppPlannerProvider.class, r.planner("llama-cpp").getClass());
    }

    @Test
    void q4KMOnATinyLlama() {
        Plan p = plan(Map.of("file-type", "Q4_K_M"), tensors(256, 512, DType.F16));
        List<String> order = p.tensors().stream().map(TensorPlan::name).toList();
        assertEquals(List.of("output.weight", "output_norm.weight", "token_embd.weight", "blk.0.attn_k.weight"),
                order.subList(0, 4), "loader order: non-block tensors by name, then blocks");
        TensorPlan out = find(p, "output.weight");
        assertEquals(DType.Q6_K, out.targetType());
        assertEquals("q6_k", out.quantizer());
        assertEquals(Map.of(), out.options());
        // use_more_bits(i, 2) holds for i >= 7*2/8 = 1 only
        assertEquals(DType.Q4_K, find(p, "blk.0.attn_v.weight").targetType());
        assertEquals(DType.Q6_K, find(p, "blk.1.attn_v.weight").targetType());
        assertTrue(find(p, "blk.1.attn_v.weight").rule().contains("use_more_bits (layer 1 of 2)"));
        assertEquals(DType.Q4_K, find(p, "blk.0.ffn_down.weight").targetType());
        assertEquals(DType.Q6_K, find(p, "blk.1.ffn_down.weight").targetType());
        assertEquals(DType.Q4_K, find(p, "blk.0.attn_q.weight").targetType());
        TensorPlan norm = find(p, "blk.0.attn_norm.weight");
        assertTrue(norm.isCopy());
        assertEquals(DType.F32, norm.targetType());
        assertTrue(norm.rule().startsWith("not quantized"));
        assertTrue(p.warnings().isEmpty(), p.warnings().toString());
    }

    @Test
    void metadataFollowsLlamaQuantize() {
        Plan p = plan(Map.of("file-type", "q4_k_s", "override-kv",
                "general.name=str:renamed,llama.context_length=int:-4096,x.flag=bool:true,x.f=float:0.1"),
                tensors(256, 512, DType.F16));
        List<String> keys = p.metadata().entries().stream().map(Metadata.Entry::key).toList();
        assertEquals(List.of("general.architecture", "llama.block_count", "llama.attention.head_count",
                "llama.attention.head_count_kv", "general.quantization_version", "general.file_type",
                "general.name", "llama.context_length", "x.flag", "x.f"), keys);
        assertEquals(MetaValue.u32(14), p.metadata().get("general.file_type").orElseThrow());
        assertEquals(MetaValue.u32(2), p.metadata().get("general.quantization_version").orElseThrow());
        assertEquals(MetaValue.u32(4096), p.metadata().get("llama.context_length").orElseThrow(),
                "int overrides are written as UINT32 of the absolute value");
        assertEquals(new MetaValue.Real(MetaType.FLOAT32, 0.1f), p.metadata().get("x.f").orElseThrow());
        assertEquals(new MetaValue.Bool(true), p.metadata().get("x.flag").orElseThrow());
    }

    @Test
    void overridesChangeWhatTheRulesSee() {
        // n_gqa 4 gives attn_v q5_K with IQ4_XS; overriding head_count_kv to 8 makes n_gqa 1
        assertEquals(DType.Q5_K, find(plan(Map.of("file-type", "IQ4_XS"), tensors(256, 512, DType.F16)),
                "blk.1.attn_v.weight").targetType());
        assertEquals(DType.IQ4_XS, find(plan(Map.of("file-type", "IQ4_XS",
                "override-kv", "llama.attention.head_count_kv=int:8"), tensors(256, 512, DType.F16)),
                "blk.1.attn_v.weight").targetType());
    }

    @Test
    void imatrixProvenanceIsWritten() {
        List<TensorInfo> t = tensors(256, 512, DType.F16);
        CalibrationStats stats = imatrixFor(t, "blk.").withProvenance(List.of("wiki.txt", "more.txt"), 40);
        Plan p = plan(Map.of("file-type", "Q4_K_M", "exclude-weights", "attn_q"), t, Optional.of(stats),
                MixtureReferenceTest.ALL_TYPES);
        Metadata m = p.metadata();
        List<Metadata.Entry> e = m.entries();
        assertEquals("quantize.imatrix.chunks_count", e.getLast().key());
        assertEquals(MetaValue.text("my.imatrix"), m.get("quantize.imatrix.file").orElseThrow());
        assertEquals(MetaValue.text("wiki.txt"), m.get("quantize.imatrix.dataset").orElseThrow());
        assertEquals(MetaValue.u32(14 - 2), m.get("quantize.imatrix.entries_count").orElseThrow(),
                "entries left after exclude-weights");
        assertEquals(MetaValue.u32(40), m.get("quantize.imatrix.chunks_count").orElseThrow());
    }

    @Test
    void copyWritesTheInputFileTypeOrTheLoadersGuess() {
        Plan p = plan(Map.of("file-type", "COPY"), tensors(256, 512, DType.F16));
        assertTrue(p.tensors().stream().allMatch(TensorPlan::isCopy));
        assertEquals(MetaValue.u32(1), p.metadata().get("general.file_type").orElseThrow());
        Metadata noType = metadata().without("general.file_type");
        Plan guessed = provider.create(provider.parseOptions(Map.of("file-type", "copy"))).plan(PlanRequest.ofNames(
                noType, tensors(256, 512, DType.Q8_0), Optional.empty(), MixtureReferenceTest.ALL_TYPES));
        assertEquals(MetaValue.u32(7 | 1024), guessed.metadata().get("general.file_type").orElseThrow(),
                "most tensors are q8_0: MOSTLY_Q8_0 marked as guessed");
    }

    @Test
    void numbersAndAliasesSelectFileTypes() {
        assertEquals(Ftype.Q4_K_M, FileTypeSpec.parse("15").ftype());
        assertEquals("Q4_K", FileTypeSpec.parse("15").name());
        assertEquals(Ftype.Q3_K_M, FileTypeSpec.parse("q3_k").ftype());
        assertEquals(Ftype.ALL_F32, FileTypeSpec.parse("0").ftype());
        assertEquals(FileTypeSpec.Kind.SINGLE_TYPE, FileTypeSpec.parse("mxfp4").kind());
        QuantException e = assertThrows(QuantException.class,
                () -> provider.parseOptions(Map.of("file-type", "Q4_K_Z")));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains("file-type") && e.getMessage().contains("Q4_K_M"), e.getMessage());
        // llama-quantize's Q1_0, Q2_0 and MXFP4_MOE (ids 40, 41, 38) are file types, not single types
        assertEquals(Ftype.Q1_0, FileTypeSpec.parse("q1_0").ftype());
        assertEquals(Ftype.Q2_0, FileTypeSpec.parse("41").ftype());
        assertEquals(FileTypeSpec.Kind.MIXTURE, FileTypeSpec.parse("mxfp4_moe").kind());
        assertEquals(Ftype.NVFP4, FileTypeSpec.parse("NVFP4").ftype());
        // a ggml type that cannot hold weights is named as such, with the names that work
        QuantException q81 = assertThrows(QuantException.class,
                () -> provider.parseOptions(Map.of("file-type", "q8_1")));
        assertTrue(q81.getMessage().contains("q8_1 is a ggml type that cannot hold model weights")
                && q81.getMessage().contains("nvfp4"), q81.getMessage());
    }

    @Test
    void singleTypeQuantizesEveryTensorAlike() {
        Plan p = plan(Map.of("file-type", "mxfp4"), tensors(256, 512, DType.F16));
        assertEquals(DType.MXFP4, find(p, "output.weight").targetType());
        assertEquals(DType.MXFP4, find(p, "blk.1.attn_v.weight").targetType());
        assertEquals(MetaValue.u32(38), p.metadata().get("general.file_type").orElseThrow());
    }

    @Test
    void rowsThatFitNoTypeFallBackToF16UnlessStrict() {
        List<TensorInfo> t = tensors(256, 172, DType.F16);
        Plan p = plan(Map.of("file-type", "Q4_0"), t);
        TensorPlan down = find(p, "blk.0.ffn_down.weight");
        assertEquals(DType.F16, down.targetType());
        assertNull(down.quantizer(), "already f16: copied");
        assertTrue(down.note().contains("172") && down.note().contains("f16"), down.note());
        assertEquals(2, MixtureReferenceTest.fallbacks(p));
        QuantException e = assertThrows(QuantException.class,
                () -> plan(Map.of("file-type", "Q4_0", "strict-shapes", "true"), t));
        assertEquals(ErrorCode.INVALID_PLAN, e.code());
        assertTrue(e.getMessage().contains("no tensor type fallback is defined for type q4_0"), e.getMessage());
        assertTrue(e.getMessage().contains("blk.0.ffn_down.weight"), e.getMessage());
    }

    @Test
    void llamaFallbackChainIsNoted() {
        Plan p = plan(Map.of("file-type", "Q4_K_M"), tensors(288, 512, DType.F32));
        TensorPlan q = find(p, "blk.0.attn_q.weight");
        assertEquals(DType.Q5_0, q.targetType());
        assertEquals("q5_0", q.quantizer());
        assertTrue(q.note().contains("falling back to q5_0"), q.note());
    }

    @Test
    void explicitTypesThatDoNotFitAreRefused() {
        QuantException e = assertThrows(QuantException.class, () -> plan(Map.of("file-type", "Q8_0",
                "token-embedding-type", "q4_K"), tensors(288, 512, DType.F16)));
        assertEquals(ErrorCode.INVALID_PLAN, e.code());
        assertTrue(e.getMessage().contains("token_embd.weight") && e.getMessage().contains("288"), e.getMessage());
        Plan dry = plan(Map.of("file-type", "Q8_0", "token-embedding-type", "q4_K", "dry-run", "true"),
                tensors(288, 512, DType.F16));
        assertEquals(DType.Q4_K, find(dry, "token_embd.weight").targetType(), "a dry run passes it silently");
    }

    @Test
    void veryLowBitTypesNeedAnImatrix() {
        List<TensorInfo> t = tensors(256, 512, DType.F16);
        QuantException e = assertThrows(QuantException.class, () -> plan(Map.of("file-type", "IQ2_XS"), t));
        assertEquals(ErrorCode.MISSING_CALIBRATION, e.code());
        assertTrue(e.getMessage().contains("blk.0.attn_k.weight"), e.getMessage());
        Plan dry = plan(Map.of("file-type", "IQ2_XS", "dry-run", "true"), t);
        assertTrue(dry.warnings().stream().anyMatch(w -> w.startsWith(LlamaCppPlanner.IMATRIX_WARNING)));
        // with an imatrix lacking an entry for a tensor that needs one
        CalibrationStats partial = imatrixFor(t, "blk.0.");
        QuantException missing = assertThrows(QuantException.class, () -> plan(Map.of("file-type", "IQ2_XS"), t,
                Optional.of(partial), MixtureReferenceTest.ALL_TYPES));
        assertEquals(ErrorCode.MISSING_CALIBRATION, missing.code());
        assertTrue(missing.getMessage().contains("blk.1."), missing.getMessage());
        Plan ok = plan(Map.of("file-type", "IQ2_XS"), t, Optional.of(imatrixFor(t, "blk.")),
                MixtureReferenceTest.ALL_TYPES);
        assertEquals(DType.IQ2_XS, find(ok, "blk.1.attn_q.weight").targetType());
    }

    @Test
    void imatrixOfAnotherModelIsRefused() {
        List<TensorInfo> t = tensors(256, 512, DType.F16);
        CalibrationStats wrong = imatrixFor(tensors(512, 512, DType.F16), "blk.");
        QuantException e = assertThrows(QuantException.class, () -> plan(Map.of("file-type", "Q4_K_M"), t,
                Optional.of(wrong), MixtureReferenceTest.ALL_TYPES));
        assertEquals(ErrorCode.INVALID_PLAN, e.code());
        assertTrue(e.getMessage().contains("imatrix size 512 is different from tensor size 256"), e.getMessage());
    }

    @Test
    void nonFiniteImportanceIsRefused() {
        List<TensorInfo> t = tensors(256, 512, DType.F16);
        float[] v = new float[256];
        v[7] = Float.NaN;
        CalibrationStats bad = CalibrationStats.of("bad.imatrix",
                List.of(TensorActivationStats.of("blk.0.attn_q.weight", 256, 1, v)));
        QuantException e = assertThrows(QuantException.class, () -> plan(Map.of("file-type", "Q4_K_M"), t,
                Optional.of(bad), MixtureReferenceTest.ALL_TYPES));
        assertTrue(e.getMessage().contains("blk.0.attn_q.weight") && e.getMessage().contains("index 7"));
        // excluded entries are not looked at
        plan(Map.of("file-type", "Q4_K_M", "exclude-weights", "attn_q"), t, Optional.of(bad),
                MixtureReferenceTest.ALL_TYPES);
    }

    @Test
    void requantizingNeedsPermission() {
        List<TensorInfo> t = tensors(256, 512, DType.Q8_0);
        QuantException e = assertThrows(QuantException.class, () -> plan(Map.of("file-type", "Q4_K_M"), t));
        assertEquals(ErrorCode.ALREADY_QUANTIZED, e.code());
        assertTrue(e.getMessage().contains("requantizing from type q8_0 is disabled"), e.getMessage());
        Plan p = plan(Map.of("file-type", "Q4_K_M", "allow-requantize", "true"), t);
        assertEquals("q4_k", find(p, "blk.1.attn_q.weight").quantizer());
        Plan same = plan(Map.of("file-type", "Q8_0"), t);
        assertTrue(same.tensors().stream().allMatch(TensorPlan::isCopy), "q8_0 to q8_0 is a copy");
    }

    @Test
    void missingQuantizersAreNamedWithWhatIsAvailable() {
        Set<String> installed = Set.of("q8_0", "f16", "f32");
        QuantException e = assertThrows(QuantException.class, () -> plan(Map.of("file-type", "Q4_K_M"),
                tensors(256, 512, DType.F16), Optional.empty(), installed));
        assertEquals(ErrorCode.UNSUPPORTED_TYPE, e.code());
        assertTrue(e.getMessage().contains("q4_k") && e.getMessage().contains("q6_k"), e.getMessage());
        assertTrue(e.getMessage().contains("[f16, f32, q8_0]"), e.getMessage());
        plan(Map.of("file-type", "Q8_0"), tensors(256, 512, DType.F16), Optional.empty(), installed);
    }

    @Test
    void keepSplitKeepsTheInputOrder() {
        List<TensorInfo> t = tensors(256, 512, DType.F16);
        Plan p = plan(Map.of("file-type", "Q8_0", "keep-split", "true"), t);
        assertEquals(t.stream().map(TensorInfo::name).toList(), p.tensors().stream().map(TensorPlan::name).toList());
        assertFalse(p.metadata().get("split.count").isPresent(), "split keys are the writer's to set");
    }

    @Test
    void pruningRenumbersAndRewritesTheBlockCount() {
        PlanSettings s = provider.parseOptions(Map.of("file-type", "Q8_0")).settings().withPruneLayers(List.of(0));
        Plan p = new LlamaCppPlanner(s).plan(PlanRequest.ofNames(metadata(), tensors(256, 512, DType.F16),
                Optional.empty(), MixtureReferenceTest.ALL_TYPES));
        assertTrue(p.tensors().stream().noneMatch(t -> t.name().startsWith("blk.1.")));
        assertEquals(3 + 9, p.tensors().size());
        assertEquals("llama.block_count", p.metadata().entries().getLast().key());
        assertEquals(MetaValue.u32(1), p.metadata().get("llama.block_count").orElseThrow());
    }

    @Test
    void invalidOptionsNameTheField() {
        Map<String, String> bad = new HashMap<>();
        bad.put("tensor-type", "attn_v=q9_9");
        QuantException e = assertThrows(QuantException.class, () -> provider.parseOptions(bad));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.getMessage().contains("tensor-type"), e.getMessage());
        assertThrows(QuantException.class, () -> provider.parseOptions(Map.of("override-kv", "x=long:5")));
        assertThrows(QuantException.class, () -> provider.parseOptions(Map.of("tensor-type", "(=q8_0")));
        assertThrows(QuantException.class, () -> provider.parseOptions(Map.of("output-tensor-type", "q8_K")));
        assertThrows(QuantException.class, () -> provider.parseOptions(Map.of("include-weights", "a",
                "exclude-weights", "b")));
        assertEquals("Q8_0", provider.defaultOptions().fileType());
    }

    /** An imatrix with an entry for every weight whose name starts with {@code prefix}. */
    static CalibrationStats imatrixFor(List<TensorInfo> tensors, String prefix) {
        List<TensorActivationStats> e = new ArrayList<>();
        for (TensorInfo t : tensors) {
            if (t.name().startsWith(prefix) && t.shape().rank() >= 2) {
                float[] v = new float[(int) t.shape().rowLength()];
                java.util.Arrays.fill(v, 1f);
                e.add(TensorActivationStats.of(t.name(), v.length, 1, v));
            }
        }
        return CalibrationStats.of("my.imatrix", e);
    }
}
