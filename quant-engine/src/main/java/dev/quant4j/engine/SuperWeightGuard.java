package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps super weights intact: a tensor holding one is written at the cheapest type whose round trip keeps every
 * super weight of the tensor within 1 % (tried on the rows that hold them, with the tensor's importance), and
 * after writing, each one is decoded again from the output's bytes and reported with its value before and after.
 */
final class SuperWeightGuard {
    /** Largest relative error of a super weight's round trip that counts as preserved. */
    static final double MAX_RELATIVE_ERROR = 0.01;
    /** Types tried, cheapest first, when the planned one loses a super weight. */
    private static final List<DType> LADDER = List.of(DType.Q2_K, DType.Q3_K, DType.Q4_K, DType.Q5_K, DType.Q6_K,
            DType.Q8_0, DType.F16, DType.F32);

    private final QuantRegistry registry;
    private final Map<String, List<SuperWeights.SuperWeight>> byTensor = new LinkedHashMap<>();

    SuperWeightGuard(QuantRegistry registry, List<SuperWeights.SuperWeight> weights) {
        this.registry = registry;
        for (SuperWeights.SuperWeight w : weights) {
            byTensor.computeIfAbsent(w.tensor(), k -> new ArrayList<>()).add(w);
        }
    }

    boolean isEmpty() {
        return byTensor.isEmpty();
    }

    /**
     * Floors for planners that take them (the importance planner's {@code floors} option): for each tensor, the
     * cheapest type of the ladder that preserves its super weights.
     */
    Map<String, DType> floors(ModelReader reader, Optional<CalibrationStats> stats) throws IOException {
        Map<String, DType> floors = new LinkedHashMap<>();
        for (var e : byTensor.entrySet()) {
            TensorInfo t = tensor(reader, e.getKey());
            if (!t.type().isFloat()) {
                continue;
            }
            TensorView v = reader.view(t);
            TensorActivationStats imp = stats.flatMap(s -> s.forTensor(t.name())).orElse(null);
            for (DType type : LADDER) {
                Quantizer q = quantizer(type.lowerName(), Map.of());
                if (q != null && preserves(q, v, imp, e.getValue())) {
                    floors.put(t.name(), type);
                    break;
                }
            }
        }
        return floors;
    }

    /**
     * The plan with every tensor that would lose a super weight raised to the cheapest ladder type with more bits
     * that keeps them (a warning per raise).
     */
    List<TensorPlan> enforce(ModelReader reader, List<TensorPlan> plans, Optional<CalibrationStats> stats,
                             java.util.Set<String> withheld, List<String> warnings) throws IOException {
        List<TensorPlan> out = new ArrayList<>(plans.size());
        for (TensorPlan p : plans) {
            List<SuperWeights.SuperWeight> sw = byTensor.get(p.name());
            if (sw == null || p.isCopy() || !p.sourceType().isFloat()) {
                out.add(p);
                continue;
            }
            TensorView v = reader.view(tensor(reader, p.name()));
            TensorActivationStats imp = withheld.contains(p.name()) ? null
                    : stats.flatMap(s -> s.forTensor(p.name())).orElse(null);
            Quantizer planned = quantizer(p.quantizer(), p.options());
            if (planned != null && preserves(planned, v, imp, sw)) {
                out.add(p);
                continue;
            }
            double plannedBits = p.targetType().bitsPerWeight();
            TensorPlan raised = null;
            for (DType type : LADDER) {
                if (type.bitsPerWeight() <= plannedBits) {
                    continue;
                }
                Quantizer q = quantizer(type.lowerName(), Map.of());
                if (q != null && preserves(q, v, imp, sw)) {
                    raised = type == p.sourceType()
                            ? new TensorPlan(p.name(), p.shape(), p.sourceType(), type, null, Map.of(), rule(p, type), p.note())
                            : new TensorPlan(p.name(), p.shape(), p.sourceType(), type, type.lowerName(), Map.of(),
                                    rule(p, type), p.note());
                    break;
                }
            }
            if (raised == null) {
                warnings.add("tensor '" + p.name() + "' holds a super weight that no type up to f32 keeps within 1 %");
                out.add(p);
            } else {
                warnings.add("tensor '" + p.name() + "' raised from " + p.targetType().lowerName() + " to "
                        + raised.targetType().lowerName() + ": " + p.targetType().lowerName() + " loses its super weight");
                out.add(raised);
            }
        }
        return out;
    }

    private static String rule(TensorPlan p, DType type) {
        return "super weight: " + type.lowerName() + " keeps it within 1 % (" + p.targetType().lowerName()
                + " did not; was: " + p.rule() + ")";
    }

    /**
     * Each super weight decoded from the written bytes of its tensor ({@code planned}: the planner's type before
     * {@link #enforce}).
     */
    List<ProtectedWeight> verify(ModelReader reader, ModelWriter writer, List<TensorStep> steps,
                                 Map<String, DType> planned) throws IOException {
        List<ProtectedWeight> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            TensorStep s = steps.get(i);
            List<SuperWeights.SuperWeight> sw = byTensor.get(s.plan().name());
            if (sw == null) {
                continue;
            }
            TensorView src = reader.view(s.source());
            int n = Math.toIntExact(src.rowLength());
            float[] before = new float[n];
            float[] after = new float[n];
            String type = s.isCopy() ? s.plan().targetType().lowerName() : s.quantizer().encoding().name();
            String was = planned.getOrDefault(s.plan().name(), s.plan().targetType()).lowerName();
            for (SuperWeights.SuperWeight w : sw) {
                src.readRow(w.row(), before, 0);
                if (s.isCopy()) {
                    System.arraycopy(before, 0, after, 0, n);
                } else {
                    long rowBytes = s.quantizer().encodedBytes(s.plan().name(), dev.quant4j.api.tensor.Shape.of(n, 1));
                    MemorySegment bytes = writer.tensorData(i).asSlice(w.row() * rowBytes, rowBytes);
                    s.quantizer().dequantize(bytes, s.plan().shape(), w.row(), 1, after);
                }
                int c = Math.toIntExact(w.column());
                out.add(new ProtectedWeight(w.tensor(), w.layer(), w.row(), w.column(), before[c], after[c], was, type));
            }
        }
        return out;
    }

    private boolean preserves(Quantizer q, TensorView v, TensorActivationStats imp, List<SuperWeights.SuperWeight> sw) {
        int n = Math.toIntExact(v.rowLength());
        long rowBytes;
        try {
            rowBytes = q.encodedBytes(v.name(), dev.quant4j.api.tensor.Shape.of(n, 1));
        } catch (QuantException e) {
            return false; // the type does not fit this row length
        }
        float[] orig = new float[n];
        float[] back = new float[n];
        long perSlice = imp == null ? v.rows() : Math.max(1, v.rows() / imp.slices());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(rowBytes);
            for (SuperWeights.SuperWeight w : sw) {
                float[] row = imp == null ? null : imp.slice((int) Math.min(imp.slices() - 1, w.row() / perSlice));
                v.readRow(w.row(), orig, 0);
                try {
                    q.quantize(v, w.row(), 1, row, seg);
                } catch (QuantException e) {
                    return false; // e.g. an IQ type that needs importance data
                }
                q.dequantize(seg, v.shape(), w.row(), 1, back);
                int c = Math.toIntExact(w.column());
                double err = Math.abs((double) back[c] - orig[c]) / Math.abs(orig[c]);
                if (!(err <= MAX_RELATIVE_ERROR)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Quantizer quantizer(String name, Map<String, String> options) {
        if (name == null || registry.find(ProviderKind.QUANTIZER, name).isEmpty()) {
            return null;
        }
        return Workers.quantizer(registry.quantizer(name), options);
    }

    private static TensorInfo tensor(ModelReader reader, String name) {
        return reader.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new QuantException(ErrorCode.INVALID_OPTION, reader.path() + ": super weight in tensor '" + name
                        + "', which the model does not have"));
    }
}
