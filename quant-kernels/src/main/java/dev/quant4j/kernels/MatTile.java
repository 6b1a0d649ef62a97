package dev.quant4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

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

    /**
     * The batch size from which a token's outputs take the batched path: a token row's results are the same bits in
     * every batch of at least this many tokens, and in every batch of fewer, whatever the other rows are (they
     * may differ between the two sides). Callers that run a subset of a batch's rows keep their bits by staying on
     * the same side. 1: one path for every batch size.
     */
    default int batchTokens() {
        return 1;
    }

    /** {@code sum a[aOff + i] * b[bOff + i]} for {@code i < n}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * Runs the batch and dot-product paths, float and encoded, on small data until the JIT has compiled them:
     * interpreted, a Vector API loop is ~50x slower (and an uncompiled transposition from a mapping costs as much as
     * the product), so a model's first matmuls would otherwise run at a crawl while the compiler catches up. Meant
     * for a background thread started before a model is opened; see {@link TileWarmUp}.
     */
    default void warmUp() {
        warmUp(CompletableFuture.completedFuture(EnumSet.allOf(Encoding.class)));
    }

    /**
     * {@link #warmUp()} for one model's weights: the float forms at once, and the encodings {@code encodings} gives
     * once it has them (a model's header read), the others not at all. Returns when done; meant for a background
     * thread started before the model is opened.
     */
    default void warmUp(Future<? extends Set<Encoding>> encodings) {
        TileWarmUp.run(this, encodings);
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
