package dev.quant4j.engine;

import java.lang.management.ManagementFactory;

/** Bytes allocated on the heap by the current thread so far (HotSpot's per-thread counter). */
final class Allocation {
    private Allocation() {
    }

    static long current() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
