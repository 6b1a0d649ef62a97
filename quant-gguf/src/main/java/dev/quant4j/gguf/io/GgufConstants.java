package dev.quant4j.gguf.io;

/** Wire constants of GGUF v3 (spec/gguf.md sections 2-4 and 7.5). */
final class GgufConstants {
    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    static final int VERSION = 3;
    static final int DEFAULT_ALIGNMENT = 32;
    /** ggml's GGML_MAX_NAME: a tensor name must be shorter than this many bytes. */
    static final int MAX_TENSOR_NAME_BYTES = 64;
    static final int MAX_DIMS = 4;

    static final String KEY_ALIGNMENT = "general.alignment";
    static final String KEY_SPLIT_NO = "split.no";
    static final String KEY_SPLIT_COUNT = "split.count";
    static final String KEY_SPLIT_TENSORS = "split.tensors.count";

    private GgufConstants() {
    }

    static long alignUp(long x, long alignment) {
        long rem = x % alignment;
        return rem == 0 ? x : Math.addExact(x, alignment - rem);
    }

    static boolean isPowerOfTwo(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }
}
