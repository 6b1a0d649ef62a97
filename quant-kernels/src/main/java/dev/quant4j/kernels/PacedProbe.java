package dev.quant4j.kernels;

/**
 * Paces one thread's probes of a closed, non-exclusive {@link WarmGate} for a scale search. Until C2 has compiled
 * a Vector API kernel, one probed group costs thousands of times its scalar form (milliseconds against
 * microseconds), so a thread that probes every call spends nearly all its time probing while the compile waits in
 * the JIT's queue. The first {@value #EAGER} probing calls run back to back, enough to pass the JIT's invocation
 * and loop thresholds; after that a call probes only once the thread has spent {@value #QUIET} times the last
 * probing call's time on calls that run the scalar form alone, which caps the probes at a fifth of the thread's
 * time while the compile is pending. Once compiled, a probe is as cheap as a scalar call, so probes come every few
 * calls and the gate opens soon after. Results never depend on it: every part runs the vector or the scalar form,
 * both exact. Confined to one thread, like the dispatcher that owns it.
 */
final class PacedProbe {
    static final int EAGER = 32;
    static final int QUIET = 4;

    private final WarmGate gate;
    private int probes;
    private long next;

    PacedProbe(WarmGate gate) {
        this.gate = gate;
    }

    /** Runs units {@code [0, n)} as {@link WarmGate#run} does, or all scalar when this call does not probe. */
    void run(int n, int probeUnits, WarmGate.Part part) {
        if (gate.isOpen()) {
            part.run(true, 0, n);
            return;
        }
        long t0 = System.nanoTime();
        if (probes >= EAGER && t0 < next) {
            part.run(false, 0, n);
            return;
        }
        gate.run(n, probeUnits, part);
        probes++;
        long t1 = System.nanoTime();
        next = t1 + QUIET * (t1 - t0);
    }
}
