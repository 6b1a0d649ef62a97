package dev.quant4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The inner loop of a batched matrix multiplication: a tile of dequantized weight rows times every token's
 * activation row. {@code w} holds {@code rows} rows of {@code cols} floats, {@code x} holds {@code tokens} rows
 * of {@code cols} floats, and {@code out[outOffset + t * outStride + r] = dot(w row r, x row t)}. The tile is
 * read once per call and reused for all tokens, which is what makes prompt processing matrix x matrix work.
 * {@link #scalar()} is the oracle; {@link #create()} gives the Vector API one when {@link Vectorization#enabled()},
 * which sums in a different order (results agree to float rounding, not bit for bit).
 */
public interface MatTile {
    default void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset, int outStride) {
        multiply(w, rows, cols, x, tokens, out, outOffset, outStride, new float[scratchFloats(rows, cols)]);
    }

    /**
     * {@link #multiply(float[], int, int, float[], int, float[], int, int)} with a caller-owned work buffer from
     * at least {@link #scratchFloats(int, int)} floats, so that repeated calls make no garbage.
     */
    void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset, int outStride,
                  float[] scratch);

    /** The work buffer size {@link #multiply(float[], int, int, float[], int, float[], int, int, float[])} needs. */
    int scratchFloats(int rows, int cols);

    /** Weight encodings a kernel may read from memory itself ({@link #multiplyEncoded}), as GGUF stores them. */
    enum Encoding {
        /** Little-endian IEEE halves. */
        F16,
        /** Blocks of 34 bytes: a little-endian half scale {@code d}, then 32 signed bytes {@code q}; value {@code q * d}. */
        Q8_0,
        /**
         * Super-blocks of 144 bytes for 256 values: halves {@code d} and {@code dmin}, 12 bytes packing 8 six-bit
         * scales and mins, 128 bytes of nibbles (sub-block {@code j} in the low nibbles of bytes {@code 32 (j / 2) ..}
         * for even {@code j}, the high ones for odd); value {@code d * scale_j * q - dmin * min_j}.
         */
        Q4_K,
        /**
         * Super-blocks of 210 bytes for 256 values: 128 bytes of low nibbles {@code ql}, 64 bytes of 2-bit high parts
         * {@code qh}, 16 signed 8-bit scales, then the half {@code d}; each 128-value half {@code h} takes value
         * {@code 32 m + l} (quarter {@code m}, {@code l < 32}) from nibble {@code m / 2} of {@code ql[64 h + 32 (m % 2) + l]}
         * and bits {@code 2 m} of {@code qh[32 h + l]}; value {@code d * scale[8 h + 2 m + l / 16] * (q - 32)}.
         */
        Q6_K;

        /** Values per block and bytes per block. */
        public int blockValues() {
            return switch (this) {
                case F16 -> 1;
                case Q8_0 -> 32;
                case Q4_K, Q6_K -> 256;
            };
        }

        public int blockBytes() {
            return switch (this) {
                case F16 -> 2;
                case Q8_0 -> 34;
                case Q4_K -> 144;
                case Q6_K -> 210;
            };
        }

        private static final ValueLayout.OfShort HALF =
                ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        /** Decodes one row of {@code cols} values at byte {@code start} of {@code src} (the scalar reference). */
        public void decodeRow(MemorySegment src, long start, int cols, float[] dst, int d0) {
            for (int k = 0; k < cols; k++) {
                long b = start + (long) k / blockValues() * blockBytes();
                int i = k % blockValues();
                dst[d0 + k] = switch (this) {
                    case F16 -> Float.float16ToFloat(src.get(HALF, b));
                    case Q8_0 -> src.get(ValueLayout.JAVA_BYTE, b + 2 + i) * Float.float16ToFloat(src.get(HALF, b));
                    case Q4_K -> {
                        int j = i / 32;
                        int q = src.get(ValueLayout.JAVA_BYTE, b + 16 + 32 * (j / 2) + i % 32) >> 4 * (j % 2) & 15;
                        yield Float.float16ToFloat(src.get(HALF, b)) * sixBits(src, b + 4, j, false) * q
                                - Float.float16ToFloat(src.get(HALF, b + 2)) * sixBits(src, b + 4, j, true);
                    }
                    case Q6_K -> {
                        int h = i / 128, m = i % 128 / 32, l = i % 32;
                        int lo = src.get(ValueLayout.JAVA_BYTE, b + 64 * h + 32 * (m % 2) + l) >> 4 * (m / 2) & 15;
                        int hi = src.get(ValueLayout.JAVA_BYTE, b + 128 + 32 * h + l) >> 2 * m & 3;
                        yield Float.float16ToFloat(src.get(HALF, b + 208))
                                * src.get(ValueLayout.JAVA_BYTE, b + 192 + 8 * h + 2 * m + l / 16) * ((lo | hi << 4) - 32);
                    }
                };
            }
        }

        /**
         * Q4_K's scale (or, with {@code min}, min) of sub-block {@code j} from the 12 bytes at {@code s}: bytes 0–3
         * hold the low 6 bits of scales 0–3 (their top 2 bits: the high bits of scales 4–7), bytes 4–7 the same for
         * the mins, bytes 8–11 the low nibbles of scales 4–7 and high nibbles of mins 4–7.
         */
        private static int sixBits(MemorySegment src, long s, int j, boolean min) {
            int u = j < 4 ? j + (min ? 4 : 0) : j + 4;
            int lo = src.get(ValueLayout.JAVA_BYTE, s + u) & 0xFF;
            if (j < 4) {
                return lo & 63;
            }
            int hi = (src.get(ValueLayout.JAVA_BYTE, s + j - (min ? 0 : 4)) & 0xFF) >> 6;
            return (min ? lo >> 4 : lo & 15) | hi << 4;
        }
    }

    /**
     * {@link #multiply(float[], int, int, float[], int, float[], int, int, float[])} with encoded weights still in
     * memory: tile row {@code r} starts at byte {@code offset + r * rowBytes} of {@code w} (e.g. a mapped GGUF
     * tensor). The result is the same bits as decoding the rows ({@link Encoding#decodeRow}) and multiplying those.
     * {@code staging} holds at least {@link #stagingBytes()}. This default decodes into a fresh float tile;
     * kernels that {@link #reads(Encoding)} decode straight into their transposed panels.
     */
    default void multiplyEncoded(Encoding encoding, MemorySegment w, long offset, long rowBytes, int rows, int cols,
                                 float[] x, int tokens, float[] out, int outOffset, int outStride, float[] scratch,
                                 byte[] staging) {
        float[] tile = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            encoding.decodeRow(w, offset + r * rowBytes, cols, tile, r * cols);
        }
        multiply(tile, rows, cols, x, tokens, out, outOffset, outStride, scratch);
    }

    /** Whether {@link #multiplyEncoded} reads this encoding itself (no float tile in between, no garbage). */
    default boolean reads(Encoding encoding) {
        return false;
    }

    /** The staging array length {@link #multiplyEncoded} needs. */
    default int stagingBytes() {
        return 1;
    }

    /** {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * Runs the batch and dot-product paths on small data often enough that the JIT compiles them: interpreted, a
     * Vector API loop is ~50x slower, so a model's first matmuls would otherwise run at a crawl while the compiler
     * catches up. Meant for a background thread started when a model is opened. The shapes reach every branch a
     * model's matmuls take — whole and partial token groups, a dot product's vector loop and its tail (136 = 8 x 16
     * + 8 columns; the vector kernel's column blocks all take one branch-free path, so one short block suffices) —
     * and call each inner method often enough (over 600 times) for a normal compile, not only loop (OSR) ones: a
     * branch the warm-up never took is compiled as a trap, and the first model matmul that takes it throws the
     * compiled code away and runs interpreted until it is compiled again. Runs interpreted itself, so it is kept
     * small: one 32-row panel.
     */
    default void warmUp() {
        int rows = 32, cols = 136, tokens = 8;
        float[] w = new float[rows * cols];
        float[] x = new float[tokens * cols];
        java.util.Arrays.fill(w, 0.5f);
        java.util.Arrays.fill(x, 0.25f);
        float[] out = new float[tokens * rows];
        float[] scratch = new float[scratchFloats(rows, cols)];
        for (int i = 0; i < 640; i++) {
            multiply(w, rows, cols, x, tokens, out, 0, rows, scratch);
            if (i % 8 == 0) { // decoding's one-token path: 32 dot products a call
                multiply(w, rows, cols, x, 1, out, 0, rows, scratch);
            }
        }
        for (Encoding e : Encoding.values()) { // the encoded forms' own transpositions and row decoding, off-heap
            if (!reads(e)) {
                continue;
            }
            int ecols = 256; // whole blocks of every encoding
            long rowBytes = (long) ecols / e.blockValues() * e.blockBytes();
            float[] ex = new float[tokens * ecols];
            float[] escratch = new float[scratchFloats(rows, ecols)];
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment h = arena.allocate(rows * rowBytes);
                byte[] staging = new byte[stagingBytes()];
                for (int i = 0; i < 16; i++) { // few: six is warm already, and interpreted decoding is the slow part
                    multiplyEncoded(e, h, 0, rowBytes, rows, ecols, ex, tokens, out, 0, rows, escratch, staging);
                    if (i % 8 == 0) {
                        multiplyEncoded(e, h, 0, rowBytes, rows, ecols, ex, 1, out, 0, rows, escratch, staging);
                    }
                }
            }
        }
    }

    /** The fastest available implementation (stateless, thread safe). */
    static MatTile create() {
        return Vectorization.enabled() ? VectorizedMatTile.INSTANCE : ScalarMatTile.INSTANCE;
    }

    /** The plain-loop reference. */
    static MatTile scalar() {
        return ScalarMatTile.INSTANCE;
    }
}
