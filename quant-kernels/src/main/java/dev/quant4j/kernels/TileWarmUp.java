package dev.quant4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * {@link MatTile#warmUp(Future)}: rounds of short calls of every form the kernel has — float weights and each
 * encoding it reads that the model has, whole and partial token groups, leftover rows, one-token dot products.
 *
 * <p>Why this shape (docs/forward-pass.md, "JIT cost of the first batch"):
 * <ul>
 * <li>Short calls (24 columns: a vector and a tail; one block of the block encodings) reach the JIT's invocation
 *     thresholds, a normal compile of each method, before any loop reaches its back-edge threshold: an
 *     on-stack-replacement compile, which for the register-blocked product was C2's longest, and which the normal
 *     compile then repeats.</li>
 * <li>Every branch of the dispatcher is taken in the first rounds, before it is compiled: a branch never taken is
 *     compiled as a trap, and the first model matmul that takes it throws the compiled code away. So the float
 *     rounds that run before the model's encodings are known stop at {@value #FLOAT_HEAD}, well before the
 *     dispatcher's compile threshold, and wait for them.</li>
 * <li>Only the encodings the model has: each other one is a few more C1 and C2 compiles on a busy machine, and
 *     branches in the dispatcher's profile that the model never takes (docs/forward-pass.md, "Fixed cost of the
 *     first batch, second pass"). The K-quants, with fewer forms beside them, now every other round.</li>
 * <li>The encoded forms read a file mapping ({@link WarmMapping}), as the model's weights are.</li>
 * <li>A fixed count, enough for the thresholds at the launcher's 0.1 scaling (the requests then stay in C2's queue
 *     until compiled): running on until the code is compiled cost more CPU than it saved on a busy machine, where
 *     C2 gets little of the cores.</li>
 * </ul>
 */
final class TileWarmUp {
    /** Rounds: each method of the kernel is called 1 to 40 times a round. */
    private static final int ROUNDS = 128;
    /** Float-only rounds at most before waiting for the encodings (the dispatcher is called once a round). */
    private static final int FLOAT_HEAD = 40;

    private TileWarmUp() {
    }

    static void run(MatTile kernel, Future<? extends Set<MatTile.Encoding>> modelEncodings) {
        int rows = 40, tokens = 8, fcols = 24; // a 32-row panel (two with 8-lane vectors) and leftover rows
        float[] w = new float[rows * fcols];
        float[] x = new float[tokens * 256];
        Arrays.fill(w, 0.5f);
        Arrays.fill(x, 0.25f);
        float[] out = new float[tokens * rows];
        float[] scratch = new float[kernel.scratchFloats(rows, 256)];
        byte[] staging = new byte[kernel.stagingBytes()];
        MatTile.Encoding[] encodings = null; // until the model's are known
        // The Vector API's uncompiled code (a reinterpret in softmax's exp, warmed next) wraps an array as a heap
        // segment: loading that class then invalidated the compiled transpositions, whose copies from the mapping
        // had been compiled for native segments only (C2 code thrown away as the first batch started). Loaded first.
        MemorySegment.ofArray(staging);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment h = null;
            for (int round = 0, encoded = 0; round < ROUNDS || encodings == null || encoded < ROUNDS; round++) {
                kernel.multiply(w, rows, fcols, x, tokens(round, tokens), out, 0, rows, scratch);
                if (encodings == null && (round >= FLOAT_HEAD || modelEncodings.isDone())) {
                    encodings = await(modelEncodings).stream().filter(kernel::reads).toArray(MatTile.Encoding[]::new);
                    // rows of up to 256 values of every encoding
                    h = encodings.length == 0 ? null : WarmMapping.of(arena, rows * 256L * 2);
                }
                if (encodings == null) {
                    continue;
                }
                int t = tokens(encoded, tokens);
                for (MatTile.Encoding e : encodings) {
                    // one 256-value block is a long loop: the K-quants every other round, the others short rows
                    int cols = e.blockValues() == 1 ? fcols : Math.max(32, e.blockValues());
                    if (cols == 256 && encoded % 2 != 0) {
                        continue;
                    }
                    long rowBytes = (long) cols / e.blockValues() * e.blockBytes();
                    kernel.multiplyEncoded(e, h, 0, rowBytes, rows, cols, x, t, out, 0, rows, scratch, staging);
                }
                encoded++;
            }
        }
    }

    /** Decoding's one-token path now and then. */
    private static int tokens(int round, int tokens) {
        return round % 8 == 7 ? 1 : tokens;
    }

    /** The encodings once known; none when the model never opened (nothing of them will run). */
    private static Set<MatTile.Encoding> await(Future<? extends Set<MatTile.Encoding>> encodings) {
        try {
            return encodings.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (ExecutionException e) {
            return Set.of();
        }
    }
}
