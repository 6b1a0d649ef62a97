package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API form of {@code Activations}: exp a vector at a time with our own range reduction and polynomial
 * (about 1 ulp), built only from exact lane operations (fma, add, shifts), so the result is the same whether the
 * JIT has compiled the loop or not (the library's lanewise EXP is not: interpreted it is {@code Math.exp}, compiled
 * the platform's vector math library). Softmax's scalar tail as the oracle does it; SwiGLU's tail in masked lanes, so
 * an element's bits do not depend on where the range around it ends (a batch's last rows in the forward pass).
 */
public final class VectorActivations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorActivations() {
    }

    /** Float lanes of every vector operation here (the arithmetic depends on it: which lane sums which element). */
    public static int lanes() {
        return L;
    }

    /**
     * Softmax of {@code scale * s[off .. off + n)} in place. The loops' vector operations take the vector just loaded
     * as their receiver ({@code v.max(vmax)}, {@code e.add(vsum)}: max and add are symmetric, the same bits), whose
     * exact class C2 knows when it parses the loop; a loop phi as receiver is only a {@code FloatVector} there, and the
     * call inlines only with a type profile of the Vector API's own code, which an early compile may not have yet.
     */
    public static void softmax(float[] s, int off, int n, float scale) {
        int bound = S.loopBound(n);
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(S, s, off + j).mul(scale);
            v.intoArray(s, off + j);
            vmax = v.max(vmax);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            s[off + j] *= scale;
            max = Math.max(max, s[off + j]);
        }
        FloatVector vsum = FloatVector.zero(S);
        for (j = 0; j < bound; j += L) {
            FloatVector e = exp(FloatVector.fromArray(S, s, off + j).sub(max));
            e.intoArray(s, off + j);
            vsum = e.add(vsum);
        }
        double sum = LaneSum.of(vsum);   // fixed order: reduceLanes(ADD) changes order when C2 compiles it
        for (; j < n; j++) {
            float e = (float) Math.exp(s[off + j] - max);
            s[off + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (j = 0; j < bound; j += L) {
            FloatVector.fromArray(S, s, off + j).mul(inv).intoArray(s, off + j);
        }
        for (; j < n; j++) {
            s[off + j] *= inv;
        }
    }

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f;   // ln 2 with its low 12 mantissa bits cleared: n * LN2_HI is exact
    private static final float LN2_LO = 1.42860677e-6f;
    private static final float ROUNDER = 0x1.8p23f;      // adding it rounds to an integer held in the low mantissa bits

    /**
     * e^x: x = n ln2 + r with |r| <= ln2/2, e^r by its degree-6 Taylor polynomial (error below 2e-7 relative),
     * times 2^n built in the exponent bits. x is clamped to [-87, 88] (normal floats; below that e^x < 1.7e-38).
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1f / 720).fma(r, FloatVector.broadcast(S, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        p = p.fma(r, FloatVector.broadcast(S, 1f));
        IntVector bits = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUNDER)).add(127)
                .lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** {@code g[i] = g[i] / (1 + e^-g[i]) * u[i]}. */
    public static void swiglu(float[] g, float[] u, int n) {
        swiglu(g, u, 0, n);
    }

    /** {@link #swiglu(float[], float[], int)} for {@code from <= i < to}. */
    public static void swiglu(float[] g, float[] u, int from, int to) {
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, g, i);
            FloatVector e = exp(v.neg()).add(1f);
            v.div(e).mul(FloatVector.fromArray(S, u, i)).intoArray(g, i);
        }
        for (; i < to; i += L) {   // the tail as masked lanes: every element the same bits wherever a range ends
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector v = FloatVector.fromArray(S, g, i, m);
            FloatVector e = exp(v.neg()).add(1f);
            v.div(e).mul(FloatVector.fromArray(S, u, i, m)).intoArray(g, i, m);
        }
    }
}
