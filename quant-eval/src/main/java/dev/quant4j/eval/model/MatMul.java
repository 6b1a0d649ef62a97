package dev.quant4j.eval.model;

import dev.quant4j.api.io.GrowingBuffer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.kernels.Activations;
import dev.quant4j.kernels.MatTile;

/**
 * {@code out[t][r] = W[r] · x[t]} for a batch of tokens: the weight rows are split into tiles of up to 128 rows,
 * each tile is decoded once into a small per-thread buffer and multiplied with every token's row (quant-kernels'
 * {@link MatTile}), tiles run in parallel. A tile's weight rows are read from the file (batches of at least
 * {@link #FILE_READ_TOKENS} tokens) or taken from the mapping. F16, Q8_0, Q4_K and Q6_K weights go to a kernel that
 * {@linkplain MatTile#reads(MatTile.Encoding) reads them itself}, decoded into its transposed panels (the same floats
 * the registry's dequantizers give). The observer sees the input on the calling thread while the other threads
 * start on the product (before the calling thread joins them), and the product after it. The buffers belong to the
 * thread that uses them and are reused across calls (no garbage per matmul).
 */
final class MatMul {
    /** Rows per tile: 4 kernel panels, so each activation block read from memory feeds 128 rows. */
    private static final int TILE_ROWS = 128;

    /**
     * Tokens from which a product reads its weight tiles from the file (when the reader says where they lie) rather
     * than through the mapping. A batch uses each weight once for many tokens, and a positional read costs the
     * kernel's copy, while the first touch of each mapped page costs, on a virtual machine, several times that
     * (docs/forward-pass.md, "Weights read, not touched"). A product of a few tokens (generation) is bound by
     * reading its weights and runs again over the same weights: it keeps the mapping, whose pages stay mapped.
     */
    static final int FILE_READ_TOKENS = 32;

    private final Parallel parallel;
    private final MatTile kernel;
    private final boolean f16Activations;
    private final boolean int8Activations;
    private final Activations activations;
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    MatMul(Parallel parallel, MatTile kernel, boolean f16Activations) {
        this(parallel, kernel, f16Activations, false);
    }

    MatMul(Parallel parallel, MatTile kernel, boolean f16Activations, boolean int8Activations) {
        this.parallel = parallel;
        this.kernel = kernel;
        this.f16Activations = f16Activations;
        this.int8Activations = int8Activations;
        this.activations = kernel == MatTile.scalar() ? Activations.scalar() : Activations.create();
    }

    MatTile kernel() {
        return kernel;
    }

    /** Softmax and SwiGLU, vectorized like the kernel. */
    Activations activations() {
        return activations;
    }

    Parallel parallel() {
        return parallel;
    }

    /**
     * {@code x} holds {@code tokens} rows of {@code w.cols()}; {@code out} receives {@code tokens} rows of
     * {@code w.rows()}. The observer is called on the caller's thread (while the other threads run tiles).
     */
    void apply(Matrix w, float[] x, int tokens, float[] out, ActivationObserver observer) {
        int cols = w.cols();
        int rows = w.rows();
        float[] q = int8Activations && w.name().startsWith("blk.") ? Int8Activations.perToken(x, tokens, cols) : x;
        float[] in = f16Activations ? ActivationRounding.forWeight(w.type(), q, tokens * cols, cols) : q;
        int[] starts = tileStarts(rows, parallel.threads());
        int tiles = starts.length - 1;
        MatTile.Encoding encoding = encoding(w.type());
        boolean direct = encoding != null && kernel.reads(encoding);
        boolean fromFile = tokens >= FILE_READ_TOKENS;
        // the observer looks at the input while the other threads start on the tiles (neither writes it)
        Runnable look = observer == ActivationObserver.NONE ? null
                : () -> observer.observe(w.name(), w.expert(), x, tokens, cols);
        parallel.forEach(tiles, () -> null, (tile, unused) -> {
            Workspace ws = workspaces.get();
            GrowingBuffer stored = fromFile ? ws.stored : null;
            int first = starts[tile];
            int n = starts[tile + 1] - first;
            float[] scratch = ws.scratch(kernel, n, cols);
            if (direct) {
                kernel.multiplyEncoded(encoding, w.storedRows(first, n, stored), 0, w.rowBytes(), n, cols, in,
                        tokens, out, first, rows, scratch, ws.staging(kernel));
            } else {
                float[] buf = ws.weights(n * cols);
                w.read(first, n, buf, stored);
                kernel.multiply(buf, n, cols, in, tokens, out, first, rows, scratch);
            }
        }, look);
        observer.produced(w.name(), w.expert(), out, tokens, rows);
    }

    /** The kernel's encoding of weights of {@code type}, or null for types it gets decoded to floats. */
    static MatTile.Encoding encoding(DType type) {
        return switch (type) {
            case F16 -> MatTile.Encoding.F16;
            case Q8_0 -> MatTile.Encoding.Q8_0;
            case Q4_K -> MatTile.Encoding.Q4_K;
            case Q6_K -> MatTile.Encoding.Q6_K;
            default -> null;
        };
    }

    /** {@link #multiply} for small products (attention) with the calling thread's scratch. */
    void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset, int outStride) {
        kernel.multiply(w, rows, cols, x, tokens, out, outOffset, outStride,
                workspaces.get().scratch(kernel, rows, cols));
    }

    /**
     * Where the tiles of a matrix of {@code rows} start (and, last, {@code rows}): {@link #tileRows} rows each, but
     * the last {@code threads} tiles' worth cut in half, so that the threads, pulling tiles in order, run out of
     * work at about the same time (a 128 x 5632 tile is ~14 ms of one core; with whole tiles one thread could wait
     * that long at the end of every matmul). Every start is a multiple of 32, the kernel's panel, so the split never
     * changes a result.
     */
    static int[] tileStarts(int rows, int threads) {
        int tileRows = tileRows(rows, threads);
        int tail = threads > 1 && tileRows >= 64 ? Math.min(rows, threads * tileRows) : 0;
        int head = tail == 0 ? rows : (rows - tail) / 32 * 32;
        int small = Math.max(32, tileRows / 2 / 32 * 32);
        int headTiles = (head + tileRows - 1) / tileRows;
        int[] starts = new int[headTiles + (rows - head + small - 1) / small + 1];
        for (int i = 0; i < headTiles; i++) {
            starts[i] = i * tileRows;
        }
        for (int i = headTiles; i < starts.length - 1; i++) {
            starts[i] = head + (i - headTiles) * small;
        }
        starts[starts.length - 1] = rows;
        return starts;
    }

    /**
     * Up to {@link #TILE_ROWS} rows, a multiple of 32 (the kernel's panel, so that which rows a tile holds never
     * changes a result), small enough that every thread gets about two tiles.
     */
    static int tileRows(int rows, int threads) {
        return Math.max(32, Math.min(TILE_ROWS, rows / (2 * threads) / 32 * 32));
    }

    /** One thread's decode buffer, kernel scratch and stored weight rows, grown on demand. */
    private static final class Workspace {
        private final GrowingBuffer stored = new GrowingBuffer(1 << 20);   // a tile's rows: 0.5-1.4 MB at 2048-5632 F16 columns
        private float[] weights = new float[0];
        private float[] scratch = new float[0];
        private byte[] staging = new byte[0];

        byte[] staging(MatTile kernel) {
            if (staging.length < kernel.stagingBytes()) {
                staging = new byte[kernel.stagingBytes()];
            }
            return staging;
        }

        float[] weights(int n) {
            if (weights.length < n) {
                weights = new float[n];
            }
            return weights;
        }

        float[] scratch(MatTile kernel, int rows, int cols) {
            int n = kernel.scratchFloats(rows, cols);
            if (scratch.length < n) {
                scratch = new float[n];
            }
            return scratch;
        }
    }

    static float[] roundToF16(float[] x, int n) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
        }
        return r;
    }
}
