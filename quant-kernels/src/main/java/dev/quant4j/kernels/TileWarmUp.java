package dev.quant4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@link MatTile#warmUp()}: {@value #ROUNDS} rounds of short calls of every form the kernel has — float weights and
 * each encoding it reads, whole and partial token groups, leftover rows, one-token dot products.
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
 * <li>A fixed count, enough for the thresholds at the launcher's 0.1 scaling (the requests then stay in C2's queue
 *     until compiled): running on until the code is compiled cost more CPU than it saved on a busy machine, where
 *     C2 gets little of the cores.</li>
 * </ul>
 */
final class TileWarmUp {
    /** Rounds: each method of the kernel is called 1 to 40 times a round. */
    private static final int ROUNDS = 128;

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
        try (Arena arena = Arena.ofShared()) {
            MemorySegment h = WarmMapping.of(arena, rows * 256L * 2); // every encoding's rows of up to 256 values
            for (int round = 0; round < ROUNDS; round++) {
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
            }
        }
    }
}
