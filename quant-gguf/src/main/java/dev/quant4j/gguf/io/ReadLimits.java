package dev.quant4j.gguf.io;

/**
 * Caps that keep a hostile header from exhausting memory or stack. Every count is also checked against the
 * bytes left in the file before anything is allocated; these caps bound what a large file could still ask for.
 * The first two are ggml's own; the others are far above any real model (a 256k-token vocabulary with its
 * merges is about a million values; the largest models have tens of thousands of tensors).
 */
final class ReadLimits {
    /** ggml rejects longer strings. */
    static final long MAX_STRING_BYTES = 1L << 30;
    /** ggml rejects longer arrays. */
    static final long MAX_ARRAY_ELEMENTS = 1L << 30;
    /** Metadata values (array elements included) decoded from one file. */
    static final long MAX_METADATA_VALUES = 1L << 24;
    /** Bytes of metadata strings decoded from one file. */
    static final long MAX_METADATA_STRING_BYTES = 1L << 30;
    /** Tensor-info records in one file. */
    static final long MAX_TENSORS = 1L << 20;
    /** Arrays of arrays deeper than this are refused (ggml refuses any nesting). */
    static final int MAX_ARRAY_DEPTH = 8;

    private ReadLimits() {
    }
}
