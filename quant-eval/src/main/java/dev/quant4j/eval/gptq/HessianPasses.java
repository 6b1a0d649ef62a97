package dev.quant4j.eval.gptq;

import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.eval.model.CalibrationPasses;
import java.util.List;

/**
 * GPTQ's calibration passes ({@link CalibrationPasses}): one unit per matmul weight holding the Hessians of all its
 * experts. Candidates are the weights of rank 2 or more whose name ends in {@code .weight} (an upper bound: a
 * weight the forward pass never multiplies just takes budget it does not use).
 */
public final class HessianPasses {
    private HessianPasses() {
    }

    /** Bytes of the Hessians of {@code t} (all its experts) during calibration. */
    public static long bytes(TensorInfo t) {
        long cols = t.shape().rowLength();
        long experts = t.shape().rank() >= 3 ? t.shape().ne(t.shape().rank() - 1) : 1;
        return experts * cols * cols * 8;
    }

    /** Total Hessian bytes if every weight were held at once. */
    public static long total(List<TensorInfo> tensors) {
        return CalibrationPasses.total(units(tensors));
    }

    /**
     * The passes for {@code tensors} within {@code budget} bytes each.
     *
     * @throws dev.quant4j.api.error.QuantException INVALID_OPTION naming the weight whose Hessians alone exceed
     *         the budget
     */
    public static List<CalibrationPasses.Pass> plan(List<TensorInfo> tensors, long budget) {
        return CalibrationPasses.plan(units(tensors), budget, (u, limit) -> {
            TensorInfo t = tensors.stream().filter(i -> i.name().equals(u.weights().getFirst())).findFirst().orElseThrow();
            long cols = t.shape().rowLength();
            return "GPTQ Hessians of '" + t.name() + "' alone need " + CalibrationPasses.mib(u.bytes()) + " MiB ("
                    + cols + "² × 8 bytes" + (u.bytes() > cols * cols * 8 ? " per expert" : "")
                    + "), more than the calibration memory limit of " + limit + " MiB; raise --gptq-memory";
        });
    }

    private static List<CalibrationPasses.Unit> units(List<TensorInfo> tensors) {
        return tensors.stream().filter(t -> t.shape().rank() >= 2 && t.name().endsWith(".weight"))
                .map(t -> new CalibrationPasses.Unit(List.of(t.name()), bytes(t))).toList();
    }
}
