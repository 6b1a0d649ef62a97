package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.tensor.DType;

/** The float type kept for the tensors BitNet never makes ternary: router, embeddings and output head. */
public enum KeptPrecision {
    F16(DType.F16),
    BF16(DType.BF16),
    F32(DType.F32);

    private final DType type;

    KeptPrecision(DType type) {
        this.type = type;
    }

    public DType type() {
        return type;
    }
}
