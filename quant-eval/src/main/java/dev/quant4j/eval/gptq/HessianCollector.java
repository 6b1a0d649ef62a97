package dev.quant4j.eval.gptq;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.eval.model.ActivationObserver;
import dev.quant4j.kernels.gptq.HessianAccumulator;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GPTQ's calibrator: one {@link HessianAccumulator} per matmul weight (per expert for MoE), fed by the forward
 * pass, for the weights it accepts (one {@link dev.quant4j.eval.model.CalibrationPasses.Pass}, or all). Allocation beyond {@code memoryLimit}
 * is refused with the figure, before the memory is taken.
 */
public final class HessianCollector implements ActivationObserver {
    private final long memoryLimit;
    private final Set<String> accept;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private long allocated;

    private record Slot(String weight, int expert, HessianAccumulator acc) {
    }

    /** Collects every weight's Hessian. */
    public HessianCollector(long memoryLimit) {
        this(memoryLimit, null);
    }

    /** Collects the Hessians of the weights in {@code accept} only (null: all). */
    public HessianCollector(long memoryLimit, Set<String> accept) {
        this.memoryLimit = memoryLimit;
        this.accept = accept == null ? null : Set.copyOf(accept);
    }

    @Override
    public synchronized void observe(String weight, int expert, float[] rows, int tokens, int width) {
        if (accept != null && !accept.contains(weight)) {
            return;
        }
        String key = expert < 0 ? weight : weight + "#" + expert;
        Slot s = slots.get(key);
        if (s == null) {
            long bytes = 8L * width * width;
            if (allocated + bytes > memoryLimit) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "GPTQ Hessians need more than "
                        + (memoryLimit >> 20) + " MiB (reached at '" + key + "', " + width + "² × 8 bytes, "
                        + (allocated >> 20) + " MiB held); raise the limit (--gptq-memory)");
            }
            allocated += bytes;
            s = new Slot(weight, expert, new HessianAccumulator(width));
            slots.put(key, s);
        }
        s.acc().add(rows, tokens);
    }

    /** Bytes of Hessians held. */
    public synchronized long allocatedBytes() {
        return allocated;
    }

    public synchronized int weights() {
        return slots.size();
    }

    /** Writes every Hessian, one at a time, in order of first observation. */
    public synchronized void writeTo(HessianFile.Writer writer) throws IOException {
        for (Slot s : slots.values()) {
            writer.add(s.weight(), s.expert(), s.acc().columns(), s.acc().samples(), s.acc().hessian());
        }
    }
}
