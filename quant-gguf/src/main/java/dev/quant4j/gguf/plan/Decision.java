package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;

/**
 * The plan for one input tensor before it becomes a {@link dev.quant4j.api.spi.TensorPlan}.
 *
 * @param source      the input tensor
 * @param name        its output name (renumbered when layers are pruned)
 * @param quantizable false when llama-quantize never quantizes it
 * @param target      the type written
 * @param rule        what chose the type
 * @param note        a warning, or empty
 * @param fallback    the shape fallback applied
 * @param explicit    an explicit output/token-embedding type chose it
 */
record Decision(TensorInfo source, String name, boolean quantizable, DType target, String rule, String note,
                boolean fallback, boolean explicit) {

    /** True when the bytes change: llama-quantize converts only when the type differs. */
    boolean converts() {
        return target != source.type();
    }

    Decision withNote(String extra) {
        return new Decision(source, name, quantizable, target, rule, note.isEmpty() ? extra : note + "; " + extra,
                fallback, explicit);
    }
}
