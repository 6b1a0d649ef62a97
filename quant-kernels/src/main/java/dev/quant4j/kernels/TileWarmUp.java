package dev.quant4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link MatTile#warmUp()}: rounds of short calls of every form the kernel has — float weights and each encoding it
 * reads, whole and partial token groups, leftover rows, one-token dot products — until a round takes under
 * {@value #COMPILED_MICROS} µs three times in a row: then C2 has compiled them all (measured on a Zen 5 core: about
 * 30 µs compiled; 1.5–30 ms while any of them still runs in C1 code, which allocates for every vector operation;
 * 200 ms the first, interpreted round).
 *
 * <p>Why this shape (docs/forward-pass.md, "JIT cost of the first batch"):
 * <ul>
 * <li>Short calls (24 columns: a vector and a tail; one block of the block encodings) reach the JIT's invocation
 *     thresholds, a normal compile of each method, before any loop reaches its back-edge threshold: an
 *     on-stack-replacement compile, which for the register-blocked product was C2's longest, and which the normal
 *     compile then repeats.</li>
 * <li>Every branch of the dispatcher is taken in the first rounds, before it is compiled: a branch never taken is
 *     compiled as a trap, and the first model matmul that takes it throws the compiled code away.</li>
 * <li>The encoded forms read a file mapping ({@link WarmMapping}), as the model's weights are.</li>
 * <li>It keeps calling until the code is compiled rather than a fixed number of times: with one C2 thread on a busy
 *     machine the compile requests wait in its queue, and a queued request whose method stopped being called is
 *     dropped as stale, so a warm-up that ended early left the compiles to the first real (long) calls.</li>
 * </ul>
 * After {@value #EAGER} back-to-back rounds it sleeps four times a round's duration between rounds (a fifth of a
 * core at most), and it gives up after {@value #GIVE_UP_SECONDS} s (the kernel works either way; only speed depends
 * on the warm-up).
 */
final class TileWarmUp {
    /** Back-to-back rounds: past the invocation thresholds at the launcher's 0.1 scaling, every branch seen. */
    private static final int EAGER = 64;
    /** A round with the block encodings faster than this runs C2's code. */
    private static final int COMPILED_MICROS = 250;
    private static final int GIVE_UP_SECONDS = 20;

    private TileWarmUp() {
    }

    static void run(MatTile kernel) {
        int rows = 40, tokens = 8, fcols = 24; // a 32-row panel (two with 8-lane vectors) and leftover rows
        float[] w = new float[rows * fcols];
        float[] x = new float[tokens * 256];
        Arrays.fill(w, 0.5f);
        Arrays.fill(x, 0.25f);
        float[] out = new float[tokens * rows];
        float[] scratch = new float[kernel.scratchFloats(rows, 256)];
        byte[] staging = new byte[kernel.stagingBytes()];
        MatTile.Encoding[] encodings = Arrays.stream(MatTile.Encoding.values()).filter(kernel::reads)
                .toArray(MatTile.Encoding[]::new);
        long start = System.nanoTime();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment h = WarmMapping.of(arena, rows * 256L * 2); // every encoding's rows of up to 256 values
            int fast = 0;
            for (int round = 0; round < EAGER || fast < 3; round++) {
                long t0 = System.nanoTime();
                if (t0 - start > GIVE_UP_SECONDS * 1_000_000_000L) {
                    return;
                }
                int t = round % 8 == 7 ? 1 : tokens; // decoding's one-token path now and then
                kernel.multiply(w, rows, fcols, x, t, out, 0, rows, scratch);
                for (MatTile.Encoding e : encodings) {
                    // one 256-value block is a long loop: the K-quants a quarter of the rounds, the others short rows
                    int cols = e.blockValues() == 1 ? fcols : Math.max(32, e.blockValues());
                    if (cols == 256 && round % 4 != 0) {
                        continue;
                    }
                    long rowBytes = (long) cols / e.blockValues() * e.blockBytes();
                    kernel.multiplyEncoded(e, h, 0, rowBytes, rows, cols, x, t, out, 0, rows, scratch, staging);
                }
                long took = System.nanoTime() - t0;
                if (round % 4 == 0) { // the rounds with every call
                    fast = took < COMPILED_MICROS * 1000L ? fast + 1 : 0;
                }
                if (round >= EAGER) {
                    LockSupport.parkNanos(Math.min(50_000_000L, 4 * took));
                }
            }
        }
    }
}
