package dev.quant4j.integer.seed;

/**
 * How a seed quantizer lays out its bytes: quant4j's own row layouts ({@link ScaleLayout}, {@link Int4Quantizer}),
 * or compressed-tensors' (vLLM) numerics and tensors ({@link dev.quant4j.integer.ct.CtQuantizer}).
 */
public enum CodeLayout {
    QUANT4J, COMPRESSED_TENSORS
}
