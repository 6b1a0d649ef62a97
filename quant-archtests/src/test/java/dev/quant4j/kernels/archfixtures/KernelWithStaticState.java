package dev.quant4j.kernels.archfixtures;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Violates rule 4: static mutable state, plain and behind final fields. */
public final class KernelWithStaticState {
    static int calls;
    static final ArrayList<String> SEEN = new ArrayList<>();
    static final AtomicLong TOTAL = new AtomicLong();
    /** Allowed: a final lookup table and an immutable constant. */
    static final float[] TABLE = {0.5f, 1f};
    static final String NAME = "kernel";

    public float scale(float x) {
        calls++;
        SEEN.add(NAME);
        TOTAL.incrementAndGet();
        return x * TABLE[calls & 1];
    }
}
