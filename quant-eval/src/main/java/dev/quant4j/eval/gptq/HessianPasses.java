package dev.quant4j.eval.gptq;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits the calibration into passes whose Hessians fit a memory budget. The forward pass meets every matmul
 * weight per chunk, so holding all Hessians at once costs {@code Σ experts × cols² × 8} bytes (a 14336-wide
 * {@code ffn_down} alone is 1.6 GB in double). Instead the weights are packed, in file order (so whole layers go
 * together), into consecutive groups of at most {@code budget} bytes; each group is one pass over the calibration
 * chunks that accumulates only its weights and is written to the statistics file before the next begins. Memory
 * for Hessians is bounded by the budget; the price is one forward pass over the text per group.
 *
 * <p>Candidates are the weights of rank 2 or more whose name ends in {@code .weight} (an upper bound: a weight the
 * forward pass never multiplies just takes budget it does not use).
 */
public final class HessianPasses {
    private HessianPasses() {
    }

    /** One pass: the weights it accumulates and the bytes their Hessians take. */
    public record Pass(Set<String> weights, long bytes) {
        public Pass {
            weights = Set.copyOf(weights);
        }
    }

    /** Bytes of the Hessians of {@code t} (all its experts) during calibration. */
    public static long bytes(TensorInfo t) {
        long cols = t.shape().rowLength();
        long experts = t.shape().rank() >= 3 ? t.shape().ne(t.shape().rank() - 1) : 1;
        return experts * cols * cols * 8;
    }

    /** Total Hessian bytes if every weight were held at once. */
    public static long total(List<TensorInfo> tensors) {
        return tensors.stream().filter(HessianPasses::candidate).mapToLong(HessianPasses::bytes).sum();
    }

    /**
     * The passes for {@code tensors} within {@code budget} bytes each.
     *
     * @throws QuantException INVALID_OPTION naming the weight whose Hessians alone exceed the budget
     */
    public static List<Pass> plan(List<TensorInfo> tensors, long budget) {
        List<Pass> out = new ArrayList<>();
        Set<String> current = new LinkedHashSet<>();
        long held = 0;
        for (TensorInfo t : tensors) {
            if (!candidate(t)) {
                continue;
            }
            long b = bytes(t);
            if (b > budget) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "GPTQ Hessians of '" + t.name() + "' alone need "
                        + mib(b) + " MiB (" + t.shape().rowLength() + "² × 8 bytes"
                        + (b > t.shape().rowLength() * t.shape().rowLength() * 8 ? " per expert" : "")
                        + "), more than the calibration memory limit of " + mib(budget) + " MiB; raise --gptq-memory");
            }
            if (held + b > budget) {
                out.add(new Pass(current, held));
                current = new LinkedHashSet<>();
                held = 0;
            }
            current.add(t.name());
            held += b;
        }
        if (!current.isEmpty()) {
            out.add(new Pass(current, held));
        }
        return out;
    }

    private static boolean candidate(TensorInfo t) {
        return t.shape().rank() >= 2 && t.name().endsWith(".weight");
    }

    private static long mib(long b) {
        return (b + (1 << 20) - 1) >> 20;
    }
}
