package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@code MatTile}. Rows are taken a vector's width at a time (16 with AVX-512) and transposed
 * into a column-major scratch tile, so that one vector load holds one input column of 16 rows; each token's
 * input value is broadcast and multiplied into 16 row sums at once. Two row groups times four tokens keep 8
 * independent accumulators (enough to hide FMA latency), need no horizontal reductions, and store results as
 * whole vectors (output rows are contiguous per token). Leftover rows, and batches of fewer than four tokens
 * (decoding), use a dot product per row and token.
 */
public final class VectorMatTile {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMatTile() {
    }

    public static void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset,
                                int outStride) {
        int r = 0;
        if (rows >= L && tokens >= 4) { // a transposed tile pays off only when several tokens reuse it
            float[] wt = new float[2 * L * cols];
            for (; r + 2 * L <= rows; r += 2 * L) {
                transpose(w, r, 2 * L, cols, wt);
                twoGroups(wt, cols, x, tokens, out, outOffset + r, outStride);
            }
            for (; r + L <= rows; r += L) {
                transpose(w, r, L, cols, wt);
                oneGroup(wt, cols, x, tokens, out, outOffset + r, outStride);
            }
        }
        for (; r < rows; r++) {
            for (int t = 0; t < tokens; t++) {
                out[outOffset + t * outStride + r] = dot(w, r * cols, x, t * cols, cols);
            }
        }
    }

    /** {@code wt[k * n + j] = w[(r + j) * cols + k]} for {@code n} rows from {@code r}. */
    private static void transpose(float[] w, int r, int n, int cols, float[] wt) {
        for (int j = 0; j < n; j++) {
            int src = (r + j) * cols;
            for (int k = 0; k < cols; k++) {
                wt[k * n + j] = w[src + k];
            }
        }
    }

    /** 2L rows (wt holds [cols][2L]) against every token, four tokens at a time. */
    private static void twoGroups(float[] wt, int cols, float[] x, int tokens, float[] out, int o, int stride) {
        int t = 0;
        for (; t + 3 < tokens; t += 4) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int x0 = t * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
            for (int k = 0; k < cols; k++) {
                FloatVector wa = FloatVector.fromArray(S, wt, k * 2 * L);
                FloatVector wb = FloatVector.fromArray(S, wt, k * 2 * L + L);
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
            }
            int base = o + t * stride;
            a0.intoArray(out, base);
            b0.intoArray(out, base + L);
            a1.intoArray(out, base + stride);
            b1.intoArray(out, base + stride + L);
            a2.intoArray(out, base + 2 * stride);
            b2.intoArray(out, base + 2 * stride + L);
            a3.intoArray(out, base + 3 * stride);
            b3.intoArray(out, base + 3 * stride + L);
        }
        for (; t < tokens; t++) {
            FloatVector a = FloatVector.zero(S), b = a;
            int x0 = t * cols;
            for (int k = 0; k < cols; k++) {
                FloatVector v = FloatVector.broadcast(S, x[x0 + k]);
                a = FloatVector.fromArray(S, wt, k * 2 * L).fma(v, a);
                b = FloatVector.fromArray(S, wt, k * 2 * L + L).fma(v, b);
            }
            a.intoArray(out, o + t * stride);
            b.intoArray(out, o + t * stride + L);
        }
    }

    /** L rows (wt holds [cols][L]) against every token. */
    private static void oneGroup(float[] wt, int cols, float[] x, int tokens, float[] out, int o, int stride) {
        for (int t = 0; t < tokens; t++) {
            FloatVector a = FloatVector.zero(S);
            int x0 = t * cols;
            for (int k = 0; k < cols; k++) {
                a = FloatVector.fromArray(S, wt, k * L).fma(FloatVector.broadcast(S, x[x0 + k]), a);
            }
            a.intoArray(out, o + t * stride);
        }
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }
}
