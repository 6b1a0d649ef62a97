package dev.quant4j.api.spi;

/** What a provider can do; the TCK checks that declared capabilities match behaviour. */
public enum Capability {
    /** The worker can turn its encoding back into floats. */
    DEQUANTIZE,
    /** Refuses to run without calibration statistics (an importance matrix). */
    REQUIRES_CALIBRATION,
    /** Reads calibration statistics when given; the output may change with them. */
    USES_CALIBRATION,
    /** Rows are encoded independently: any row range may be quantized alone, in parallel. */
    ROW_INDEPENDENT,
    /** Bytes identical to llama.cpp's reference quantizer for the same ggml type. */
    GGML_EXACT,
    /** A format that can read models. */
    READ,
    /** A format that can write models. */
    WRITE
}
