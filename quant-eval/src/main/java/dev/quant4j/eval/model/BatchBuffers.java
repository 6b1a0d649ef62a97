package dev.quant4j.eval.model;

/**
 * The activation arrays of forward batches, reused by every block: a 1,536-row batch of a 2048-wide model with a
 * 5632-wide FFN allocated about 130 MB of them per layer, which the JVM zeroed and the GC collected each time.
 * {@linkplain #exact() Exact} buffers give arrays of exactly the size asked for (a new one when the size changes),
 * so code that reads an array's length, or an observer handed one, sees the batch's size; the others give an
 * array at least that long, so a smaller batch (the last block's needed rows, a short last batch) takes the arrays
 * already there instead of fresh ones. Every user overwrites the part it uses before reading it. Not thread safe:
 * one forward call at a time.
 */
final class BatchBuffers {
    /** What an array holds; arrays of different slots are never the same. */
    enum Slot { NORMED, Q, K, V, ATTENTION, PROJECTED, GATE, UP, LOGITS }

    private final float[][] slots = new float[Slot.values().length][];
    private final boolean exact;

    /** Exact-size arrays (for observed runs). */
    BatchBuffers() {
        this(true);
    }

    BatchBuffers(boolean exact) {
        this.exact = exact;
    }

    boolean exact() {
        return exact;
    }

    /** The array of {@code slot}, {@code n} floats (at least, unless exact), contents undefined. */
    float[] get(Slot slot, int n) {
        float[] a = slots[slot.ordinal()];
        if (a == null || (exact ? a.length != n : a.length < n)) {
            a = new float[n];
            slots[slot.ordinal()] = a;
        }
        return a;
    }
}
