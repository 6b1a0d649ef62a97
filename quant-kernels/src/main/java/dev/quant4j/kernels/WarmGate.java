package dev.quant4j.kernels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets one kernel run its scalar oracle until the JIT has compiled its Vector API form (both give identical
 * bytes). Until C2 compiles it, a Vector API method runs in the interpreter or C1 code that allocates for every
 * lane operation: about a thousand times slower than either compiled form. When every worker went through that,
 * the first seconds of a short run were lost (and the heap grew with dead vectors).
 *
 * <p>While the gate is closed one caller at a time (or, for the costly searches, every caller) probes: it sends a small part of its real work through the
 * vector form, timed, while the rest of its call, and every other caller, takes the scalar form, timed too (a
 * probe waits for a scalar timing since the previous one, so a caller whose calls are one probe each alternates). The
 * probes drive the vector form's invocation counters to the JIT's thresholds; the gate opens for good once the
 * vector form has been faster per unit than the scalar one {@value #WINS} probes in a row. A platform on which
 * the vector form never wins keeps the scalar one. Only speed depends on the gate, never a result.
 *
 * <p>The JIT's compiled code is per process, so each kernel's gate is one shared instance (a static final field
 * of its dispatcher); it is thread safe.
 */
public final class WarmGate {
    /** Consecutive probes the vector form must win. */
    static final int WINS = 3;

    private final AtomicBoolean probing = new AtomicBoolean();
    /** One prober at a time (cheap kernels), or every caller probes the head of its call (costly searches). */
    private final boolean exclusive;
    private volatile boolean open;
    /** Nanoseconds per unit of the fastest timed scalar part. */
    private volatile double scalarNanosPerUnit;
    /** A scalar part was timed since the last probe: probes compare against a current scalar figure. */
    private volatile boolean scalarSinceProbe;
    /** Probes won in a row; guarded by this. */
    private int wins;

    /** A gate whose probes are taken by one caller at a time. */
    public WarmGate() {
        this(true);
    }

    /**
     * @param exclusive false for kernels whose scalar form is so much slower (the scale searches, about 9x) that
     *                  waiting for the JIT with one prober costs more than every caller probing
     */
    public WarmGate(boolean exclusive) {
        this.exclusive = exclusive;
    }

    /** A part of one call: units {@code [from, from + count)} through the vector or the scalar form. */
    @FunctionalInterface
    public interface Part {
        void run(boolean vector, int from, int count);
    }

    /** One whole call through the vector or the scalar form. */
    @FunctionalInterface
    public interface Whole<T> {
        T run(boolean vector);
    }

    /** True once the vector form is compiled and faster. */
    public boolean isOpen() {
        return open;
    }

    /**
     * Runs units {@code [0, n)} of one call: all vector when open; otherwise the first {@code probeUnits} through
     * the vector form if no other caller is probing, the rest scalar, each timed.
     */
    public void run(int n, int probeUnits, Part part) {
        if (open) {
            part.run(true, 0, n);
            return;
        }
        int head = 0;
        if (n > 0 && tryProbe()) {
            head = Math.min(n, probeUnits);
            long t0 = System.nanoTime();
            try {
                part.run(true, 0, head);
            } finally {
                probed(System.nanoTime() - t0, head);
            }
        }
        if (head < n) {
            long t0 = System.nanoTime();
            part.run(false, head, n - head);
            scalarTimed(System.nanoTime() - t0, n - head);
        }
    }

    /**
     * Runs one call of {@code units} units that cannot be split: vector when open or when this caller gets the
     * probe, scalar otherwise, timed while closed.
     */
    public <T> T whole(int units, Whole<T> call) {
        if (open) {
            return call.run(true);
        }
        if (tryProbe()) {
            long t0 = System.nanoTime();
            try {
                return call.run(true);
            } finally {
                probed(System.nanoTime() - t0, units);
            }
        }
        long t0 = System.nanoTime();
        T result = call.run(false);
        scalarTimed(System.nanoTime() - t0, units);
        return result;
    }

    /** Claims the single probe slot (false when open or another caller probes). */
    boolean tryProbe() {
        if (!exclusive) {
            return !open && scalarNanosPerUnit > 0;
        }
        return !open && scalarSinceProbe && !probing.get() && probing.compareAndSet(false, true);
    }

    /** Ends the probe claimed by {@link #tryProbe()}: {@code units} took {@code nanos} through the vector form. */
    synchronized void probed(long nanos, int units) {
        double scalar = scalarNanosPerUnit;
        if (scalar > 0 && nanos < scalar * units) {
            if (++wins >= WINS) {
                open = true;
            }
        } else {
            wins = 0;
        }
        scalarSinceProbe = false;
        probing.set(false);
    }

    /**
     * Records that {@code units} took {@code nanos} through the scalar form. The gate keeps the fastest scalar
     * figure so far: on a loaded machine a timing that includes a preemption is many times too slow, and before
     * (when the latest figure counted) a few of those let the uncompiled vector form "win" three probes; the gate
     * then opened onto code a thousand times slower that allocates for every lane operation, until C2 compiled it.
     */
    void scalarTimed(long nanos, int units) {
        if (units > 0) {
            double perUnit = Math.max(1e-3, (double) nanos / units);
            double best = scalarNanosPerUnit;
            scalarNanosPerUnit = best > 0 ? Math.min(best, perUnit) : perUnit; // a lost race only keeps a slower one
            scalarSinceProbe = true;
        }
    }
}
