package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.tensor.DType;

/** The ggml layout BitNet ternary weights are stored in; all are run by llama.cpp. */
public enum TernaryLayout {
    /** 2.0625 bits per weight, the faster layout to decode. */
    TQ2_0(DType.TQ2_0, 37),
    /** 1.6875 bits per weight (5 trits per byte). */
    TQ1_0(DType.TQ1_0, 36),
    /**
     * 1.5625 bits per weight: the ternary weights (level times block scale) encoded by llama.cpp's IQ1_S codebook
     * quantizer, which every llama.cpp backend runs; not every ternary pattern is in its grid, so it is lossy.
     */
    IQ1_S(DType.IQ1_S, 24);

    private final DType type;
    private final int fileType;

    TernaryLayout(DType type, int fileType) {
        this.type = type;
        this.fileType = fileType;
    }

    public DType type() {
        return type;
    }

    /** llama.cpp's {@code LLAMA_FTYPE_MOSTLY_TQ2_0} (37) / {@code TQ1_0} (36) / {@code IQ1_S} (24), for {@code general.file_type}. */
    public int fileType() {
        return fileType;
    }
}
