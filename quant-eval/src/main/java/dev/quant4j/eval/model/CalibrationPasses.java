package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a calibration into passes whose statistics fit a memory budget; shared by GPTQ's Hessians and the
 * transforms' second moments. The forward pass meets every weight per chunk, so holding every accumulator at once
 * can cost far more than memory holds (a 14336-wide {@code ffn_down} alone is 1.6 GB in double). Instead the
 * statistics are grouped into {@link Unit}s (one accumulator, possibly read by several weights that share one input),
 * and the units are packed, in the order given (file order, so whole layers go together), into consecutive passes of
 * at most {@code budget} bytes. Each pass is one forward pass over the calibration chunks that accumulates only its
 * units and writes them out before the next begins: memory for statistics stays within the budget, at the price of
 * one forward pass per pass.
 */
public final class CalibrationPasses {
    private CalibrationPasses() {
    }

    /**
     * One accumulator's worth of statistics: the weights it serves (they must be collected in the same pass) and
     * the bytes it holds while collecting.
     */
    public record Unit(List<String> weights, long bytes) {
        public Unit {
            weights = List.copyOf(weights);
            if (weights.isEmpty() || bytes < 0) {
                throw new IllegalArgumentException("a unit needs weights and a size: " + weights + ", " + bytes);
            }
        }
    }

    /** One pass: the weights it accumulates and the bytes their statistics take. */
    public record Pass(Set<String> weights, long bytes) {
        public Pass {
            weights = Set.copyOf(weights);
        }
    }

    /** How to say that one unit alone exceeds the budget (names the weight, its size and the option to raise). */
    @FunctionalInterface
    public interface TooLarge {
        String message(Unit unit, long budgetMiB);
    }

    public static long total(List<Unit> units) {
        return units.stream().mapToLong(Unit::bytes).sum();
    }

    /**
     * The passes for {@code units} within {@code budget} bytes each, in order; every unit in exactly one pass.
     *
     * @throws QuantException INVALID_OPTION with {@code tooLarge}'s message when a unit alone exceeds the budget
     */
    public static List<Pass> plan(List<Unit> units, long budget, TooLarge tooLarge) {
        List<Pass> out = new ArrayList<>();
        Set<String> current = new LinkedHashSet<>();
        long held = 0;
        for (Unit u : units) {
            if (u.bytes() > budget) {
                throw new QuantException(ErrorCode.INVALID_OPTION, tooLarge.message(u, mib(budget)));
            }
            if (held + u.bytes() > budget && !current.isEmpty()) {
                out.add(new Pass(current, held));
                current = new LinkedHashSet<>();
                held = 0;
            }
            current.addAll(u.weights());
            held += u.bytes();
        }
        if (!current.isEmpty()) {
            out.add(new Pass(current, held));
        }
        return out;
    }

    /** Bytes to MiB, rounded up. */
    public static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
