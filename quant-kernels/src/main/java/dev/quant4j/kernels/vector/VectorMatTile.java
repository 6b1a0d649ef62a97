package dev.quant4j.kernels.vector;

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
 * rows, and batches of fewer than four tokens (decoding), use dot products.
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

    private VectorMatTile() {
    }

    /** Scratch floats for tiles of up to {@code rows} rows of {@code cols}. */
    public static int scratchFloats(int rows, int cols) {
        return Math.max(1, rows / P) * P * Math.min(cols, KC);
    }

    public static void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset,
                                int outStride, float[] scratch) {
        int panels = tokens >= 4 ? rows / P : 0; // a transposed panel pays off only when several tokens reuse it
        if (panels > 0) {
            for (int t = 0; t < tokens; t++) {
                int o = outOffset + t * outStride;
                Arrays.fill(out, o, o + panels * P, 0f);
            }
            int block = P * Math.min(cols, KC);
            for (int k0 = 0; k0 < cols; k0 += KC) {
                int kc = Math.min(KC, cols - k0);
                for (int p = 0; p < panels; p++) {
                    transpose(w, p * P, cols, k0, kc, scratch, p * block);
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
        for (int r = panels * P; r < rows; r++) {
            for (int t = 0; t < tokens; t++) {
                out[outOffset + t * outStride + r] = dot(w, r * cols, x, t * cols, cols);
            }
        }
    }

    /** {@code wt[w0 + k * P + j] = w[(r + j) * cols + k0 + k]} for the P rows from {@code r}, {@code kc} columns. */
    private static void transpose(float[] w, int r, int cols, int k0, int kc, float[] wt, int w0) {
        for (int j = 0; j < P; j++) {
            int src = (r + j) * cols + k0;
            for (int k = 0; k < kc; k++) {
                wt[w0 + k * P + j] = w[src + k];
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
