package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;

/** A type and the rule that chose it (for reports). */
record Choice(DType type, String rule) {
}
