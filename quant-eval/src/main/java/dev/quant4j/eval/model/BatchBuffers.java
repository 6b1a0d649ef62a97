package dev.quant4j.eval.model;

/**
 * The activation arrays of one forward batch, reused by every block: a 1,536-row batch of a 2048-wide model with a
 * 5632-wide FFN allocated about 130 MB of them per layer, which the JVM zeroed and the GC collected each time.
 * Each array has exactly the size asked for (a new one when the size changes), so code that reads an array's
 * length, or an observer handed one, sees the batch's size. Every user overwrites all of an array before reading
 * it. One per forward call: not thread safe.
 */
final class BatchBuffers {
    /** What an array holds; arrays of different slots are never the same. */
    enum Slot { NORMED, Q, K, V, ATTENTION, PROJECTED, GATE, UP }

    private final float[][] slots = new float[Slot.values().length][];

    /** The array of {@code slot}, {@code n} floats, contents undefined. */
    float[] get(Slot slot, int n) {
        float[] a = slots[slot.ordinal()];
        if (a == null || a.length != n) {
            a = new float[n];
            slots[slot.ordinal()] = a;
        }
        return a;
    }
}
