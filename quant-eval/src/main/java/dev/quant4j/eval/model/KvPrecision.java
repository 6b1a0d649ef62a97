package dev.quant4j.eval.model;

/** Element precision of the K/V cache. */
public enum KvPrecision {
    /** Keys and values kept as computed. */
    F32,
    /** Keys and values rounded to IEEE half precision when stored (llama.cpp's default {@code -ctk f16 -ctv f16}). */
    F16
}
