package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.tensor.DType;

/** The ggml layout BitNet ternary weights are stored in; both are run by llama.cpp. */
public enum TernaryLayout {
    /** 2.0625 bits per weight, the faster layout to decode. */
    TQ2_0(DType.TQ2_0),
    /** 1.6875 bits per weight (5 trits per byte). */
    TQ1_0(DType.TQ1_0);

    private final DType type;

    TernaryLayout(DType type) {
        this.type = type;
    }

    public DType type() {
        return type;
    }
}
