package dev.quant4j.kernels.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@code MatTile}: a register-blocked matrix x matrix kernel. The tile is cut into panels of
 * 2 vectors of rows (32 rows with AVX-512) and the inputs into blocks of {@link #KC} columns; each panel block is
 * transposed into the caller's scratch ({@code [KC][32]}) so that one vector load holds one input column of 16
 * rows. Each token's input value is broadcast and multiplied into those rows: 2 row vectors x 6 tokens = 12
 * independent accumulators per inner step (enough to keep both FMA pipes busy), no horizontal reductions, results
 * added to the output as whole vectors (output rows are contiguous per token). A call first clears its outputs,
 * then every column block adds its partial sums in increasing column order, whatever the token's position in the
 * batch, so the store has no branch (a warm-up of one column block compiles the path every block takes). Leftover
 * rows, and batches of fewer than four tokens (decoding), use dot products. F16 and Q8_0 weights can be read
 * straight from their (mapped) memory ({@link #multiplyEncoded}): each panel block is decoded while it is
 * transposed, with no float tile in between; the result is the same bits as decoding to floats first.
 */
public final class VectorMatTile {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int P = 2 * L;
    /**
     * Input columns per block: a transposed panel block is P x KC floats (128 KB), the 4 panels of a 128-row tile
     * 512 KB, half of a 1 MB L2. Every block reads back and rewrites the partial sums of all its outputs (strided
     * by the matrix's rows: another page per token), so fewer, longer blocks pay: on 2048 x 5632 and 5632 x 2048
     * weights x 1536 tokens, 1024 columns beat 256, 512 and 2048 (docs/forward-pass.md, "Column blocks").
     */
    private static final int KC = 1024;
    /**
     * Columns per transposition step: the P x SB floats (16 KB) of the panel being written stay in L1 while the P
     * rows are scattered into them. Transposing a whole 1024-column block row by row walks 128 KB of panel per
     * row, so every strided store missed L1.
     */
    private static final int SB = 128;
    /**
     * Tokens from which a call transposes panels ({@link #six} and {@link #one}: the same FMA chain per output, so a
     * token's bits do not depend on its group); fewer, and every row is a {@link #dot} product.
     */
    public static final int BATCH_TOKENS = 4;
    private static final VarHandle HALVES = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * {@link #multiplyEncoded} encodings: 2-byte halves; Q8_0 blocks of an F16 scale and 32 signed bytes; Q4_K
     * super-blocks of 256 values (F16 d and dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles); Q6_K
     * super-blocks of 256 values (low nibbles, 2-bit high parts, 16 int8 scales, F16 d last).
     */
    public static final int F16 = 1, Q8_0 = 2, Q4_K = 3, Q6_K = 4;

    private VectorMatTile() {
    }

    /** Scratch floats for tiles of up to {@code rows} rows of {@code cols}. */
    public static int scratchFloats(int rows, int cols) {
        return panelFloats(rows, cols) + cols; // + one decoded row: the F16 form's leftover rows and dot products
    }

    private static int panelFloats(int rows, int cols) {
        return Math.max(1, rows / P) * P * Math.min(cols, KC);
    }

    /**
     * Staging bytes {@link #multiplyEncoded} needs: P rows of one column block of halves (F16 is the widest encoding
     * per column; Q8_0 takes 34 bytes per 32 columns, the K-quants less).
     */
    public static int stagingBytes() {
        return P * KC * 2;
    }

    public static void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset,
                                int outStride, float[] scratch) {
        run(w, 0, null, 0, 0, rows, cols, x, tokens, out, outOffset, outStride, scratch, null);
    }

    /**
     * {@link #multiply} with encoded weights ({@link #F16} or {@link #Q8_0}): row {@code r} of the tile starts at
     * byte {@code offset + r * rowBytes} of {@code w}. The same bits as decoding the rows to floats first
     * ({@code Float.float16ToFloat(h)}; Q8_0 {@code q * d}) and calling {@link #multiply}.
     */
    public static void multiplyEncoded(int encoding, MemorySegment w, long offset, long rowBytes, int rows, int cols,
                                       float[] x, int tokens, float[] out, int outOffset, int outStride,
                                       float[] scratch, byte[] staging) {
        if (encoding < F16 || encoding >= BLOCK_VALUES.length) {
            throw new IllegalArgumentException("encoding " + encoding);
        }
        run(null, encoding, w, offset, rowBytes, rows, cols, x, tokens, out, outOffset, outStride, scratch, staging);
    }

    /** The kernel over float rows {@code w}, or (when {@code w} is null) over encoded rows in {@code h}. */
    private static void run(float[] w, int encoding, MemorySegment h, long offset, long rowBytes, int rows, int cols,
                            float[] x, int tokens, float[] out, int outOffset, int outStride, float[] scratch,
                            byte[] staging) {
        int panels = tokens >= BATCH_TOKENS ? rows / P : 0; // a transposed panel pays off only when several tokens reuse it
        if (panels > 0) {
            for (int t = 0; t < tokens; t++) {
                int o = outOffset + t * outStride;
                Arrays.fill(out, o, o + panels * P, 0f);
            }
            int block = P * Math.min(cols, KC);
            for (int k0 = 0; k0 < cols; k0 += KC) {
                int kc = Math.min(KC, cols - k0);
                for (int p = 0; p < panels; p++) {
                    long start = offset + p * P * rowBytes;
                    if (w != null) {
                        transpose(w, p * P, cols, k0, kc, scratch, p * block);
                    } else if (encoding == F16) {
                        transposeF16(h, start, rowBytes, k0, kc, scratch, p * block, staging);
                    } else {
                        transposeBlocks(encoding, h, start, rowBytes, k0, kc, scratch, p * block, staging);
                    }
                }
                int t = 0;
                for (; t + 6 <= tokens; t += 6) {
                    for (int p = 0; p < panels; p++) {
                        six(scratch, p * block, kc, x, t * cols + k0, cols, out, outOffset + t * outStride + p * P,
                                outStride);
                    }
                }
                for (; t < tokens; t++) {
                    for (int p = 0; p < panels; p++) {
                        one(scratch, p * block, kc, x, t * cols + k0, out, outOffset + t * outStride + p * P);
                    }
                }
            }
        }
        int row = panelFloats(rows, cols); // the F16 form's decoded row, after the panels
        for (int r = panels * P; r < rows; r++) {
            float[] a = w;
            int a0 = r * cols;
            if (w == null) {
                decodeRow(encoding, h, offset + r * rowBytes, cols, scratch, row, staging);
                a = scratch;
                a0 = row;
            }
            for (int t = 0; t < tokens; t++) {
                out[outOffset + t * outStride + r] = dot(a, a0, x, t * cols, cols);
            }
        }
    }

    /**
     * {@code wt[w0 + k * P + j] = w[(r + j) * cols + k0 + k]} for the P rows from {@code r}, {@code kc} columns, in
     * steps of {@link #SB} columns so the panel part being written stays in L1.
     */
    private static void transpose(float[] w, int r, int cols, int k0, int kc, float[] wt, int w0) {
        for (int kb = 0; kb < kc; kb += SB) {
            int n = Math.min(SB, kc - kb);
            for (int j = 0; j < P; j++) {
                int src = (r + j) * cols + k0 + kb;
                int dst = w0 + kb * P + j;
                for (int k = 0; k < n; k++) {
                    wt[dst + k * P] = w[src + k];
                }
            }
        }
    }

    /**
     * {@link #transpose} from F16 rows ({@code P} rows from byte {@code start}, {@code rowBytes} apart), through
     * {@code staging}: per-element segment reads are bounds-checked one by one, so each row's {@code kc} halves are
     * first copied in bulk ({@link #stageRows}), then converted as they are scattered into the panel.
     */
    private static void transposeF16(MemorySegment h, long start, long rowBytes, int k0, int kc, float[] wt, int w0,
                                     byte[] staging) {
        int stride = 2 * kc;
        stageRows(h, start + 2L * k0, rowBytes, stride, staging);
        for (int kb = 0; kb < kc; kb += SB) {
            int n = Math.min(SB, kc - kb);
            for (int j = 0; j < P; j++) {
                int src = j * stride + 2 * kb;
                int dst = w0 + kb * P + j;
                for (int k = 0; k < n; k++) {
                    wt[dst + k * P] = Float.float16ToFloat((short) HALVES.get(staging, src + 2 * k));
                }
            }
        }
    }

    /**
     * Copies {@code bytes} from each of the P rows (from {@code from}, {@code rowBytes} apart) to
     * {@code staging[j * bytes ..]}: one whole row segment per copy, 8 times fewer copies than one per 128-column
     * step. That costs less mainly while the JIT has not compiled the copy's call path yet (the first batch of a
     * short run); the copy stub's own time, reading the weights from memory, stays the same (docs/forward-pass.md,
     * "Whole row segments").
     */
    private static void stageRows(MemorySegment h, long from, long rowBytes, int bytes, byte[] staging) {
        for (int j = 0; j < P; j++) {
            MemorySegment.copy(h, ValueLayout.JAVA_BYTE, from + j * rowBytes, staging, j * bytes, bytes);
        }
    }

    /** Values and bytes per block, indexed by encoding code (this package cannot see {@code MatTile.Encoding}). */
    private static final int[] BLOCK_VALUES = {0, 1, 32, 256, 256}, BLOCK_BYTES = {0, 2, 34, 144, 210};

    private static int blockValues(int encoding) {
        return BLOCK_VALUES[encoding];
    }

    private static int blockBytes(int encoding) {
        return BLOCK_BYTES[encoding];
    }

    /**
     * {@link #transposeF16} from block-encoded rows ({@link #Q8_0}, {@link #Q4_K}, {@link #Q6_K}): {@code k0} and {@code kc} are
     * multiples of the block, steps of {@link #SB} columns or one block, whichever is longer.
     */
    private static void transposeBlocks(int encoding, MemorySegment h, long start, long rowBytes, int k0, int kc,
                                        float[] wt, int w0, byte[] staging) {
        int qk = blockValues(encoding), bb = blockBytes(encoding);
        int step = Math.max(SB, qk);
        int stride = kc / qk * bb;
        stageRows(h, start + (long) k0 / qk * bb, rowBytes, stride, staging);
        for (int kb = 0; kb < kc; kb += step) {
            int n = Math.min(step, kc - kb);
            for (int j = 0; j < P; j++) {
                int dst = w0 + kb * P + j;
                for (int b = 0, src = j * stride + kb / qk * bb; b < n; b += qk, src += bb) {
                    decodeBlock(encoding, staging, src, wt, dst + b * P, P);
                }
            }
        }
    }

    /** One block's values from {@code st[o ..]} to {@code dst[d0 + i * stride]}: Q8_0 {@code q * d}, K-quants as ggml. */
    private static void decodeBlock(int encoding, byte[] st, int o, float[] dst, int d0, int stride) {
        if (encoding == Q6_K) {
            decodeQ6K(st, o, dst, d0, stride);
            return;
        }
        float d = Float.float16ToFloat((short) HALVES.get(st, o));
        if (encoding == Q8_0) {
            for (int i = 0; i < 32; i++) {
                dst[d0 + i * stride] = st[o + 2 + i] * d;
            }
            return;
        }
        float dmin = Float.float16ToFloat((short) HALVES.get(st, o + 2));
        for (int j = 0; j < 8; j++) { // sub-block j: 32 nibbles, scale and min packed in 6 bits (ggml's get_scale_min_k4)
            int sc = j < 4 ? st[o + 4 + j] & 63 : (st[o + 8 + j] & 15) | ((st[o + j] & 0xFF) >> 6) << 4;
            int m = j < 4 ? st[o + 8 + j] & 63 : ((st[o + 8 + j] & 0xFF) >> 4) | ((st[o + 4 + j] & 0xFF) >> 6) << 4;
            float dl = d * sc;
            float ml = dmin * m;
            int q0 = o + 16 + 32 * (j >> 1);
            int shift = 4 * (j & 1);
            for (int l = 0; l < 32; l++) {
                dst[d0 + (32 * j + l) * stride] = dl * ((st[q0 + l] >> shift) & 15) - ml;
            }
        }
    }

    /** A Q6_K super-block: per 128-value half, 32 positions of 4 quarters, each {@code (d * scale) * (q - 32)}. */
    private static void decodeQ6K(byte[] st, int o, float[] dst, int d0, int stride) {
        float d = Float.float16ToFloat((short) HALVES.get(st, o + 208));
        for (int h = 0; h < 2; h++) {
            int ql = o + 64 * h, qh = o + 128 + 32 * h, sc = o + 192 + 8 * h, y = d0 + 128 * h * stride;
            for (int l = 0; l < 32; l++) {
                int a = st[ql + l] & 0xFF, b = st[ql + 32 + l] & 0xFF, hi = st[qh + l] & 0xFF;
                int s = sc + l / 16;
                dst[y + l * stride] = d * st[s] * (((a & 15) | (hi & 3) << 4) - 32);
                dst[y + (l + 32) * stride] = d * st[s + 2] * (((b & 15) | (hi >> 2 & 3) << 4) - 32);
                dst[y + (l + 64) * stride] = d * st[s + 4] * (((a >> 4) | (hi >> 4 & 3) << 4) - 32);
                dst[y + (l + 96) * stride] = d * st[s + 6] * (((b >> 4) | (hi >> 6 & 3) << 4) - 32);
            }
        }
    }

    /** One encoded row of {@code cols} values from byte {@code start} into {@code dst[d0 ..]}, through {@code staging}. */
    private static void decodeRow(int encoding, MemorySegment h, long start, int cols, float[] dst, int d0,
                                  byte[] staging) {
        if (encoding != F16) {
            int qk = blockValues(encoding), bb = blockBytes(encoding);
            int step = staging.length / bb * qk; // whole blocks per bulk copy
            for (int done = 0; done < cols; done += step) {
                int m = Math.min(step, cols - done);
                MemorySegment.copy(h, ValueLayout.JAVA_BYTE, start + (long) done / qk * bb, staging, 0, m / qk * bb);
                for (int b = 0, src = 0; b < m; b += qk, src += bb) {
                    decodeBlock(encoding, staging, src, dst, d0 + done + b, 1);
                }
            }
            return;
        }
        int step = staging.length / 2;
        for (int done = 0; done < cols; done += step) {
            int m = Math.min(step, cols - done);
            int o = d0 + done;
            MemorySegment.copy(h, ValueLayout.JAVA_BYTE, start + 2L * done, staging, 0, 2 * m);
            for (int i = 0; i < m; i++) {
                dst[o + i] = Float.float16ToFloat((short) HALVES.get(staging, 2 * i));
            }
        }
    }

    /** 2 row vectors (a transposed panel block at {@code w0}) times 6 tokens. */
    private static void six(float[] wt, int w0, int kc, float[] x, int x0, int cols, float[] out, int o, int stride) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        int x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols, x4 = x3 + cols, x5 = x4 + cols;
        for (int k = 0; k < kc; k++) {
            FloatVector wa = FloatVector.fromArray(S, wt, w0 + k * P);
            FloatVector wb = FloatVector.fromArray(S, wt, w0 + k * P + L);
            FloatVector v = FloatVector.broadcast(S, x[x0 + k]);
            a0 = wa.fma(v, a0);
            b0 = wb.fma(v, b0);
            v = FloatVector.broadcast(S, x[x1 + k]);
            a1 = wa.fma(v, a1);
            b1 = wb.fma(v, b1);
            v = FloatVector.broadcast(S, x[x2 + k]);
            a2 = wa.fma(v, a2);
            b2 = wb.fma(v, b2);
            v = FloatVector.broadcast(S, x[x3 + k]);
            a3 = wa.fma(v, a3);
            b3 = wb.fma(v, b3);
            v = FloatVector.broadcast(S, x[x4 + k]);
            a4 = wa.fma(v, a4);
            b4 = wb.fma(v, b4);
            v = FloatVector.broadcast(S, x[x5 + k]);
            a5 = wa.fma(v, a5);
            b5 = wb.fma(v, b5);
        }
        add(a0, b0, out, o);
        add(a1, b1, out, o + stride);
        add(a2, b2, out, o + 2 * stride);
        add(a3, b3, out, o + 3 * stride);
        add(a4, b4, out, o + 4 * stride);
        add(a5, b5, out, o + 5 * stride);
    }

    private static void one(float[] wt, int w0, int kc, float[] x, int x0, float[] out, int o) {
        FloatVector a = FloatVector.zero(S), b = a;
        for (int k = 0; k < kc; k++) {
            FloatVector v = FloatVector.broadcast(S, x[x0 + k]);
            a = FloatVector.fromArray(S, wt, w0 + k * P).fma(v, a);
            b = FloatVector.fromArray(S, wt, w0 + k * P + L).fma(v, b);
        }
        add(a, b, out, o);
    }

    /** Adds a block's partial sums of 2 row vectors to the output (cleared by the call, so block 0 adds to 0). */
    private static void add(FloatVector a, FloatVector b, float[] out, int o) {
        a.add(FloatVector.fromArray(S, out, o)).intoArray(out, o);
        b.add(FloatVector.fromArray(S, out, o + L)).intoArray(out, o + L);
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = LaneSum.of(acc);   // fixed order: reduceLanes(ADD) changes order when C2 compiles it
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }
}
