package dev.quant4j.kernels;

/**
 * The arithmetic of {@code VectorActivations} in plain loops, operation for operation and lane for lane, so its
 * results are the same bits: the vector softmax's per-lane maxima and float sums (lane {@code j % lanes} of the
 * vector part), their fixed halving-tree lane sum, softmax's scalar tail, and the vector exp (range reduction and
 * degree-6 polynomial from fused multiply-adds and exponent bits). It is what {@link WarmingActivations} runs
 * until the JIT has compiled the vector form: plain loops are fast interpreted and C1-compiled, while uncompiled
 * Vector API code allocates for every lane operation and runs about a thousand times slower.
 */
final class LaneExactActivations implements Activations {
    // the constants of VectorActivations.exp
    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f;
    private static final float LN2_LO = 1.42860677e-6f;
    private static final float ROUNDER = 0x1.8p23f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

    private final int lanes;

    /** @param lanes the float lanes of the vector form emulated (a power of two) */
    LaneExactActivations(int lanes) {
        if (lanes < 1 || Integer.bitCount(lanes) != 1) {
            throw new IllegalArgumentException("lanes " + lanes);
        }
        this.lanes = lanes;
    }

    @Override
    public void softmax(float[] s, int off, int valid, int len, float scale) {
        int bound = valid - valid % lanes;
        float max = Float.NEGATIVE_INFINITY;    // the maximum does not depend on the order
        for (int j = 0; j < valid; j++) {
            s[off + j] *= scale;
            max = Math.max(max, s[off + j]);
        }
        float[] acc = new float[lanes];
        for (int j = 0; j < bound; j += lanes) {
            for (int l = 0; l < lanes; l++) {
                float e = exp(s[off + j + l] - max);
                s[off + j + l] = e;
                acc[l] += e;
            }
        }
        for (int w = lanes / 2; w >= 1; w /= 2) {   // LaneSum's tree: lane i += lane i + w
            for (int i = 0; i < w; i++) {
                acc[i] += acc[i + w];
            }
        }
        finish(s, off, bound, valid, len, max, acc[0]);   // the vector form's scalar tail, as it does it
    }

    /**
     * {@code Activations.Scalar.finish}'s arithmetic (the vector form's tail does the same), a copy of its own: the
     * launcher's compiler directive leaves this class to C1, as it runs only until the vector form is compiled, while
     * the scalar oracle's method stays C2's (C2 compiled it twice, on-stack first, for these calls alone).
     */
    private static void finish(float[] s, int off, int from, int valid, int len, float max, double sum) {
        for (int j = from; j < valid; j++) {
            float e = (float) Math.exp(s[off + j] - max);
            s[off + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < valid; j++) {
            s[off + j] *= inv;
        }
        java.util.Arrays.fill(s, off + valid, off + len, 0f);
    }

    @Override
    public void swiglu(float[] g, float[] u, int from, int to) {
        for (int i = from; i < to; i++) {   // the vector form's tail runs in masked lanes: the same arithmetic
            float v = g[i];
            g[i] = v / (exp(-v) + 1f) * u[i];
        }
    }

    /** One lane of {@code VectorActivations.exp}. */
    static float exp(float x) {
        x = Math.min(Math.max(x, -87f), 88f);
        float t = Math.fma(x, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(1f / 720, r, 1f / 120);
        p = Math.fma(p, r, 1f / 24);
        p = Math.fma(p, r, 1f / 6);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = (Float.floatToRawIntBits(t) - ROUNDER_BITS + 127) << 23;
        return p * Float.intBitsToFloat(bits);
    }
}
