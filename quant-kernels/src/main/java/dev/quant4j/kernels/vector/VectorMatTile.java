package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@code MatTile}: four weight rows against two tokens per pass, so each loaded vector feeds
 * several FMAs (8 accumulators stay in registers); tails fall back to one row x one token.
 */
public final class VectorMatTile {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMatTile() {
    }

    public static void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset,
                                int outStride) {
        int t = 0;
        for (; t + 1 < tokens; t += 2) {
            int r = 0;
            for (; r + 3 < rows; r += 4) {
                block4x2(w, r, cols, x, t, out, outOffset, outStride);
            }
            for (; r < rows; r++) {
                out[outOffset + t * outStride + r] = dot(w, r * cols, x, t * cols, cols);
                out[outOffset + (t + 1) * outStride + r] = dot(w, r * cols, x, (t + 1) * cols, cols);
            }
        }
        for (; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                out[outOffset + t * outStride + r] = dot(w, r * cols, x, t * cols, cols);
            }
        }
    }

    private static void block4x2(float[] w, int r, int cols, float[] x, int t, float[] out, int outOffset,
                                 int outStride) {
        int w0 = r * cols, w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x0 = t * cols, x1 = x0 + cols;
        FloatVector a00 = FloatVector.zero(S), a10 = a00, a20 = a00, a30 = a00;
        FloatVector a01 = a00, a11 = a00, a21 = a00, a31 = a00;
        int bound = S.loopBound(cols);
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector v0 = FloatVector.fromArray(S, x, x0 + i);
            FloatVector v1 = FloatVector.fromArray(S, x, x1 + i);
            FloatVector q = FloatVector.fromArray(S, w, w0 + i);
            a00 = q.fma(v0, a00);
            a01 = q.fma(v1, a01);
            q = FloatVector.fromArray(S, w, w1 + i);
            a10 = q.fma(v0, a10);
            a11 = q.fma(v1, a11);
            q = FloatVector.fromArray(S, w, w2 + i);
            a20 = q.fma(v0, a20);
            a21 = q.fma(v1, a21);
            q = FloatVector.fromArray(S, w, w3 + i);
            a30 = q.fma(v0, a30);
            a31 = q.fma(v1, a31);
        }
        float s00 = a00.reduceLanes(VectorOperators.ADD), s01 = a01.reduceLanes(VectorOperators.ADD);
        float s10 = a10.reduceLanes(VectorOperators.ADD), s11 = a11.reduceLanes(VectorOperators.ADD);
        float s20 = a20.reduceLanes(VectorOperators.ADD), s21 = a21.reduceLanes(VectorOperators.ADD);
        float s30 = a30.reduceLanes(VectorOperators.ADD), s31 = a31.reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            float v0 = x[x0 + i], v1 = x[x1 + i];
            s00 += w[w0 + i] * v0;
            s01 += w[w0 + i] * v1;
            s10 += w[w1 + i] * v0;
            s11 += w[w1 + i] * v1;
            s20 += w[w2 + i] * v0;
            s21 += w[w2 + i] * v1;
            s30 += w[w3 + i] * v0;
            s31 += w[w3 + i] * v1;
        }
        int o0 = outOffset + t * outStride + r, o1 = o0 + outStride;
        out[o0] = s00;
        out[o0 + 1] = s10;
        out[o0 + 2] = s20;
        out[o0 + 3] = s30;
        out[o1] = s01;
        out[o1 + 1] = s11;
        out[o1 + 2] = s21;
        out[o1 + 3] = s31;
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
