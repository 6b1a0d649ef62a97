package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorActivations;

/**
 * {@link Activations} that run {@link LaneExactActivations} (the vector arithmetic in plain loops: the same bits)
 * until {@link #warmUp()} has seen the JIT's compiled Vector API form beat it, then the vector form. Only the
 * warm-up thread ever runs the uncompiled vector code: before, the forward pass's first batch ran attention's
 * softmax and SwiGLU through it (a quarter of a cold small-model run's samples were Vector API fallback code) and
 * filled the C2 queue with compiles of that fallback code. Without a warm-up call the plain loops stay, correct.
 */
final class WarmingActivations implements Activations {
    static final WarmingActivations INSTANCE = new WarmingActivations();
    /** Back-to-back warm-up rounds, enough to pass the JIT's invocation and loop thresholds. */
    private static final int EAGER = 64;
    /** After those, the warm-up thread sleeps this many times a probe's duration between probes. */
    private static final int QUIET = 4;
    /** The warm-up gives up (the plain loops stay) after this long. */
    private static final long GIVE_UP_NANOS = 30_000_000_000L;
    /**
     * Valid elements of a warm-up softmax row: 52 loop turns a call with 16 lanes (vector loops and scalar tails).
     * C2 compiles the vector softmax normally once the calls pass about 60 and calls plus turns about 1,500 (at the
     * launcher's 0.1 scaling; scaled up while C2's queue is long), on-stack once the turns pass about 4,000. With
     * 500-element rows (101 turns) the turns always won: on-stack compiles at each of its three loops, then a normal
     * one. With these, one normal compile in 7 of 10 logged runs (docs/forward-pass.md, "Fixed cost of the first
     * batch, fourth pass"); 100-element rows did worse (1 of 5).
     */
    private static final int ROW = 200;
    /** The warm-up rows' input values. */
    private static final float[] INPUT = input();

    private final LaneExactActivations exact = new LaneExactActivations(VectorActivations.lanes());
    private final WarmGate softmax = new WarmGate();
    private final WarmGate swiglu = new WarmGate();

    private WarmingActivations() {
    }

    @Override
    public void softmax(float[] s, int off, int valid, int len, float scale) {
        softmax(softmax.isOpen(), s, off, valid, len, scale);
    }

    @Override
    public void swiglu(float[] g, float[] u, int from, int to) {
        swiglu(swiglu.isOpen(), g, u, from, to);
    }

    // The warm-up's vector calls go through these branches too, so both sides have a profile when the JIT compiles
    // a caller that inlines them: a side never taken before would be compiled as a trap, and the gate opening would
    // then throw the caller's compiled code away (the attention loop was compiled four times).
    private void softmax(boolean vector, float[] s, int off, int valid, int len, float scale) {
        if (vector) {
            Vectorized.INSTANCE.softmax(s, off, valid, len, scale);
        } else {
            exact.softmax(s, off, valid, len, scale);
        }
    }

    private void swiglu(boolean vector, float[] g, float[] u, int from, int to) {
        if (vector) {
            Vectorized.INSTANCE.swiglu(g, u, from, to);
        } else {
            exact.swiglu(g, u, from, to);
        }
    }

    /**
     * Runs both forms on the calling thread until the vector one, timed, beats the plain loops {@value WarmGate#WINS}
     * times in a row for each kernel (or for {@link #GIVE_UP_NANOS}): {@value #EAGER} rounds back to back, then
     * paced so that waiting for a pending compile costs at most a fifth of a core.
     */
    @Override
    public void warmUp() {
        float[] a = new float[512];
        float[] b = new float[512];
        float[] u = new float[512];
        java.util.Arrays.fill(u, 0.75f);
        long start = System.nanoTime();
        for (int round = 0; !(softmax.isOpen() && swiglu.isOpen()); round++) {
            long t0 = System.nanoTime();
            if (t0 - start > GIVE_UP_NANOS) {
                return;
            }
            if (!softmax.isOpen()) {
                probe(softmax, ROW, () -> softmax(true, fill(a), 0, ROW, ROW + 8, 0.125f),
                        () -> softmax(false, fill(b), 0, ROW, ROW + 8, 0.125f));
            }
            if (!swiglu.isOpen()) {
                probe(swiglu, 512, () -> swiglu(true, fill(a), u, 0, 512), () -> swiglu(false, fill(b), u, 0, 512));
            }
            if (round >= EAGER) {
                long pause = Math.min(50_000_000L, QUIET * (System.nanoTime() - t0));
                java.util.concurrent.locks.LockSupport.parkNanos(pause);
            }
        }
    }

    private static float[] fill(float[] a) {
        System.arraycopy(INPUT, 0, a, 0, a.length);   // a copy, not a loop: nothing for C2 to compile twice
        return a;
    }

    private static float[] input() {
        float[] a = new float[512];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 37) * 0.25f - 4f;
        }
        return a;
    }

    /** One timed call of each form, reported to the gate (the plain loops first: a probe compares against them). */
    private static void probe(WarmGate gate, int units, Runnable vector, Runnable plain) {
        long t0 = System.nanoTime();
        plain.run();
        gate.scalarTimed(System.nanoTime() - t0, units);
        long t1 = System.nanoTime();
        vector.run();
        gate.probed(System.nanoTime() - t1, units);
    }
}
