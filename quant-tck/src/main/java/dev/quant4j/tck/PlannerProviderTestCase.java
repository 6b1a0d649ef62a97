package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.QuantizerProvider;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Conformance of a {@link PlannerProvider}. A plugin's test is three lines:
 *
 * <pre>{@code
 * class PresetPlannerTest extends PlannerProviderTestCase {
 *     @Override protected PlannerProvider<?> provider() { return new LlamaPresetPlannerProvider(); }
 * }
 * }</pre>
 *
 * The kit plans a small synthetic llama-style model ({@link #sampleTensors()}) in a world where the quantizers
 * of {@link #installedQuantizers()} exist; give {@link #options()} for a planner that needs a preset.
 */
public abstract class PlannerProviderTestCase extends ProviderTestCase<PlannerProvider<?>> {
    @Override
    final ProviderKind expectedKind() {
        return ProviderKind.PLANNER;
    }

    /** Quantizer names the planner may choose from: by default one per ggml type ({@code q4_k}, {@code q8_0}, ...). */
    protected Set<String> installedQuantizers() {
        return Arrays.stream(DType.values()).map(DType::lowerName).collect(Collectors.toUnmodifiableSet());
    }

    /** Metadata of the sample model: a two-block llama. */
    protected Metadata sampleMetadata() {
        return new Metadata(List.of(
                new Metadata.Entry("general.architecture", new MetaValue.Text("llama")),
                new Metadata.Entry("general.name", new MetaValue.Text("tck-synthetic")),
                new Metadata.Entry("general.file_type", new MetaValue.Int(MetaType.UINT32, 1)),
                new Metadata.Entry("llama.block_count", new MetaValue.Int(MetaType.UINT32, 2)),
                new Metadata.Entry("llama.embedding_length", new MetaValue.Int(MetaType.UINT32, 256)),
                new Metadata.Entry("llama.feed_forward_length", new MetaValue.Int(MetaType.UINT32, 512)),
                new Metadata.Entry("llama.attention.head_count", new MetaValue.Int(MetaType.UINT32, 4)),
                new Metadata.Entry("llama.attention.head_count_kv", new MetaValue.Int(MetaType.UINT32, 4)),
                new Metadata.Entry("llama.context_length", new MetaValue.Int(MetaType.UINT32, 128))));
    }

    /**
     * Tensors of the sample model: F16 matrices (rows of 256 and 512) and F32 norms of a two-block llama, listed
     * in llama.cpp's loader order (layer number, tensors outside blocks first, then name byte-wise). A planner
     * that keeps input order and one that writes llama-quantize's loader order thus agree on "in order".
     */
    protected List<TensorInfo> sampleTensors() {
        List<TensorInfo> out = new ArrayList<>();
        add(out, "output.weight", DType.F16, Shape.of(256, 64));
        add(out, "output_norm.weight", DType.F32, Shape.of(256));
        add(out, "token_embd.weight", DType.F16, Shape.of(256, 64));
        for (int b = 0; b < 2; b++) {
            String p = "blk." + b + ".";
            add(out, p + "attn_k.weight", DType.F16, Shape.of(256, 256));
            add(out, p + "attn_norm.weight", DType.F32, Shape.of(256));
            add(out, p + "attn_output.weight", DType.F16, Shape.of(256, 256));
            add(out, p + "attn_q.weight", DType.F16, Shape.of(256, 256));
            add(out, p + "attn_v.weight", DType.F16, Shape.of(256, 256));
            add(out, p + "ffn_down.weight", DType.F16, Shape.of(512, 256));
            add(out, p + "ffn_gate.weight", DType.F16, Shape.of(256, 512));
            add(out, p + "ffn_norm.weight", DType.F32, Shape.of(256));
            add(out, p + "ffn_up.weight", DType.F16, Shape.of(256, 512));
        }
        return out;
    }

    /** Appends a tensor placed after the previous one, 32-byte aligned as in GGUF. */
    private static void add(List<TensorInfo> tensors, String name, DType type, Shape shape) {
        long offset = 0;
        if (!tensors.isEmpty()) {
            TensorInfo last = tensors.getLast();
            offset = (last.offset() + last.byteSize() + 31) / 32 * 32;
        }
        tensors.add(new TensorInfo(name, type, shape, offset, TensorInfo.byteSize(type, shape)));
    }

    /** Importance statistics for every matrix of {@code tensors}, as an imatrix would hold them. */
    protected CalibrationStats sampleCalibration(List<TensorInfo> tensors) {
        List<TensorActivationStats> stats = new ArrayList<>();
        long seed = 1;
        for (TensorInfo t : tensors) {
            if (t.shape().rank() >= 2) {
                int n = Math.toIntExact(t.shape().rowLength());
                stats.add(TensorActivationStats.of(t.name(), n, 100, Samples.importance(n, seed++)));
            }
        }
        return CalibrationStats.of("tck-synthetic", stats);
    }

    private boolean has(Capability c) {
        return provider().descriptor().has(c);
    }

    /** The request the kit plans: calibration included when the planner uses or requires it. */
    protected final PlanRequest sampleRequest(boolean withCalibration) {
        List<TensorInfo> tensors = sampleTensors();
        Optional<CalibrationStats> cal = withCalibration ? Optional.of(sampleCalibration(tensors)) : Optional.empty();
        return PlanRequest.ofNames(sampleMetadata(), tensors, cal, installedQuantizers());
    }

    private PlanRequest request() {
        return sampleRequest(has(Capability.REQUIRES_CALIBRATION) || has(Capability.USES_CALIBRATION));
    }

    /** A planner configured with {@link #options()}. */
    protected final Planner planner() {
        return create(provider(), options());
    }

    private static <O extends Record> Planner create(PlannerProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    /**
     * One decision per input tensor, in input order (see {@link #sampleTensors()}), with the tensor's name, shape and source type; each names
     * an installed quantizer or none (a copy, keeping the source type), and the target type fits the row length.
     */
    @Test
    public final void onePlanPerTensorInOrder() {
        PlanRequest req = request();
        Plan plan = planner().plan(req);
        assertNotNull(plan, "plan() returned null");
        List<TensorInfo> in = req.tensors();
        List<TensorPlan> out = plan.tensors();
        assertEquals(in.stream().map(TensorInfo::name).toList(), out.stream().map(TensorPlan::name).toList(),
                "the plan must hold one decision per tensor, in input order");
        for (int i = 0; i < in.size(); i++) {
            TensorInfo t = in.get(i);
            TensorPlan p = out.get(i);
            assertEquals(t.shape(), p.shape(), t.name() + ": shape");
            assertEquals(t.type(), p.sourceType(), t.name() + ": source type");
            if (p.isCopy()) {
                assertEquals(p.sourceType(), p.targetType(), t.name() + ": a copy keeps the source type");
            } else {
                assertTrue(req.installedQuantizers().contains(p.quantizer()), t.name() + ": quantizer '"
                        + p.quantizer() + "' is not installed; installed: " + req.installedQuantizers());
            }
            assertTrue(p.targetType().rowBytes(p.shape().rowLength()) >= 0, t.name() + ": " + p.targetType()
                    + " cannot hold rows of " + p.shape().rowLength() + " (blocks of " + p.targetType().blockSize() + ")");
            assertTrue(!p.rule().isBlank(), t.name() + ": the decision must name its rule for reports");
        }
    }

    /** The same request gives the same plan, from the same planner and from a fresh one. */
    @Test
    public final void deterministic() {
        Planner p = planner();
        Plan first = p.plan(request());
        assertEquals(first, p.plan(request()), "the same planner planned the same model differently");
        assertEquals(first, planner().plan(request()), "a fresh planner planned the same model differently");
    }

    /**
     * REQUIRES_CALIBRATION: without statistics the planner refuses up front (MISSING_CALIBRATION or
     * INVALID_PLAN, with a message); otherwise it plans without them.
     */
    @Test
    public final void calibrationCapabilityMatchesBehaviour() {
        PlanRequest without = sampleRequest(false);
        if (has(Capability.REQUIRES_CALIBRATION)) {
            try {
                planner().plan(without);
                fail("REQUIRES_CALIBRATION is declared but a model without calibration statistics was planned");
            } catch (QuantException e) {
                assertTrue(e.code() == ErrorCode.MISSING_CALIBRATION || e.code() == ErrorCode.INVALID_PLAN,
                        "planning without calibration: wrong code: " + e);
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the refusal must say why");
            }
            planner().plan(sampleRequest(true));
        } else {
            assertNotNull(planner().plan(without), "plan() returned null");
        }
    }

    /** Options a decision carries are accepted by the named quantizer, where that quantizer is installed here. */
    @Test
    public final void plannedOptionsAcceptedByInstalledQuantizers() {
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        Plan plan = planner().plan(request());
        int checked = 0;
        for (TensorPlan p : plan.tensors()) {
            if (p.isCopy()) {
                continue;
            }
            var entry = registry.find(ProviderKind.QUANTIZER, p.quantizer());
            if (entry.isPresent()) {
                QuantizerProvider<?> q = (QuantizerProvider<?>) entry.get().provider();
                try {
                    q.parseOptions(p.options());
                } catch (QuantException e) {
                    fail(p.name() + ": quantizer '" + p.quantizer() + "' refuses the planned options " + p.options()
                            + ": " + e.getMessage());
                }
                checked++;
            }
        }
        Assumptions.assumeTrue(checked > 0, "none of the planned quantizers is installed in this test's class path");
    }
}
