package dev.quant4j.eval.model;

/**
 * The activation arrays of forward batches, reused by every block: a 1,536-row batch of a 2048-wide model with a
 * 5632-wide FFN allocated about 130 MB of them per layer, which the JVM zeroed and the GC collected each time.
 * {@linkplain #exact() Exact} buffers give arrays of exactly the size asked for (a new one when the size changes),
 * so code that reads an array's length, or an observer handed one, sees the batch's size; the others give an
 * array at least that long, so a smaller batch (the last block's needed rows, a short last batch) takes the arrays
 * already there instead of fresh ones. Also the attention's gathered keys and values and the K/V cache arrays,
 * which a batch's caches hand back after each block ({@link #give}) for the next block to take ({@link #take}).
 * Every user overwrites the part it uses before reading it. Not thread safe (one forward call at a time), except
 * that different threads may ask for different {@link #gathered} arrays.
 */
final class BatchBuffers {
    /** What an array holds; arrays of different slots are never the same. */
    enum Slot { NORMED, Q, K, V, ATTENTION, PROJECTED, GATE, UP, DOWN, LOGITS, RESIDUAL }

    private final float[][] slots = new float[Slot.values().length][];
    private final boolean exact;
    private float[][] gathered = new float[0][];
    private final java.util.ArrayDeque<float[]> spare = new java.util.ArrayDeque<>();

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
        int i = storage(slot);
        float[] a = slots[i];
        if (a == null || (exact ? a.length != n : a.length < n)) {
            a = new float[n];
            slots[i] = a;
        }
        return a;
    }

    /**
     * Where a slot's array is kept. Not exact, slots that are never in use at the same time share one array:
     * q, the attention's projected output, the FFN's gate and the logits (q is dead once the attention has run,
     * the projection once added to the residual, the gate once multiplied by ffn_down, and the logits come after
     * the last block); the attention output and the FFN's up (dead once projected); the normed input and ffn_down's
     * output (the norm is dead once gate and up have it). A 1,536-row batch of a 2048-wide model with a 5632-wide
     * FFN then allocates 75 MB less fresh heap. Exact, every slot has its own array (an observer sees each array's
     * length), ffn_down's output the attention projection's, as before these were shared.
     */
    private int storage(Slot slot) {
        if (exact) {
            return (slot == Slot.DOWN ? Slot.PROJECTED : slot).ordinal();
        }
        return switch (slot) {
            case Q, PROJECTED, LOGITS -> Slot.GATE.ordinal();
            case ATTENTION -> Slot.UP.ordinal();
            case DOWN -> Slot.NORMED.ordinal();
            default -> slot.ordinal();
        };
    }

    /**
     * The batch will ask for up to {@code sizes} floats of these slots: unless exact, their (shared) arrays are made
     * that large now, once, rather than grown (a fresh array each time) as the batch's steps ask for more. The missing
     * arrays are made on {@code parallel}'s threads, largest first: the JVM zeroes a new array on the thread that
     * asks for it, and on a virtual machine the first touch of each fresh page is dear (about 190 MB for 1,536 rows of
     * a 2048-wide model); made one by one as the first layer reached them, they were zeroed on the caller while the
     * pool's workers waited.
     */
    void reserve(java.util.Map<Slot, Integer> sizes, Parallel parallel) {
        if (exact) {
            return;
        }
        int[] wanted = new int[slots.length];
        sizes.forEach((slot, n) -> wanted[storage(slot)] = Math.max(wanted[storage(slot)], n));
        java.util.List<Integer> missing = new java.util.ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            if (wanted[i] > 0 && (slots[i] == null || slots[i].length < wanted[i])) {
                missing.add(i);
            }
        }
        missing.sort((a, b) -> Integer.compare(wanted[b], wanted[a]));
        parallel.forEach(missing.size(), () -> null,
                (item, unused) -> slots[missing.get(item)] = new float[wanted[missing.get(item)]]);
    }

    /** Makes room for {@code count} {@link #gathered} arrays; call before the threads ask for them. */
    void gather(int count) {
        if (gathered.length < count) {
            gathered = java.util.Arrays.copyOf(gathered, count);
        }
    }

    /** Gathered array {@code i}: exactly {@code n} floats, contents undefined; each {@code i} from one thread. */
    float[] gathered(int i, int n) {
        float[] a = gathered[i];
        if (a == null || a.length != n) {
            a = new float[n];
            gathered[i] = a;
        }
        return a;
    }

    /** An array of exactly {@code n} floats {@linkplain #give given back} before, or a new one; contents undefined. */
    float[] take(int n) {
        for (java.util.Iterator<float[]> it = spare.iterator(); it.hasNext(); ) {
            float[] a = it.next();
            if (a.length == n) {
                it.remove();
                return a;
            }
        }
        return new float[n];
    }

    /** An array no longer used, for {@link #take}. */
    void give(float[] a) {
        if (a.length > 0) {
            spare.push(a);
        }
    }
}
