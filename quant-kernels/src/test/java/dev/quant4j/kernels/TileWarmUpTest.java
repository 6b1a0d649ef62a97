package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.kernels.MatTile.Encoding;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The model-aware warm-up: float forms at once, then exactly the encodings handed over, each as often as a full
 * warm-up gives it. Counted through a kernel that records its calls and passes them to the plain loops.
 */
class TileWarmUpTest {
    /** Counts calls per form; reads every encoding itself (through the default decode-then-multiply). */
    private static final class Counting implements MatTile {
        final AtomicInteger floats = new AtomicInteger();
        final Map<Encoding, Integer> encoded = new EnumMap<>(Encoding.class);
        volatile int floatsBeforeEncoded = -1;

        @Override
        public void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset,
                             int outStride, float[] scratch) {
            floats.incrementAndGet();
            MatTile.scalar().multiply(w, rows, cols, x, tokens, out, outOffset, outStride, scratch);
        }

        @Override
        public void multiplyEncoded(Encoding e, MemorySegment w, long offset, long rowBytes, int rows, int cols,
                                    float[] x, int tokens, float[] out, int outOffset, int outStride, float[] scratch,
                                    byte[] staging) {
            if (floatsBeforeEncoded < 0) {
                floatsBeforeEncoded = floats.get();
            }
            encoded.merge(e, 1, Integer::sum);
        }

        @Override
        public boolean reads(Encoding e) {
            return true;
        }

        @Override
        public int scratchFloats(int rows, int cols) {
            return 0;
        }

        @Override
        public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
            return MatTile.scalar().dot(a, aOff, b, bOff, n);
        }
    }

    @Test
    void warmsOnlyTheEncodingsHandedOverAsOftenAsAFullWarmUp() {
        Counting all = new Counting();
        all.warmUp();
        Counting f16 = new Counting();
        f16.warmUp(CompletableFuture.completedFuture(EnumSet.of(Encoding.F16)));
        assertEquals(Set.of(Encoding.F16), f16.encoded.keySet());
        assertEquals(all.encoded.get(Encoding.F16), f16.encoded.get(Encoding.F16));
        Counting kq = new Counting();
        kq.warmUp(CompletableFuture.completedFuture(EnumSet.of(Encoding.Q4_K, Encoding.Q6_K)));
        assertEquals(Set.of(Encoding.Q4_K, Encoding.Q6_K), kq.encoded.keySet());
        assertEquals(all.encoded.get(Encoding.Q6_K), kq.encoded.get(Encoding.Q6_K));
        assertEquals(all.encoded.get(Encoding.Q4_K) * 2, all.encoded.get(Encoding.Q8_0), "K-quants every other round");
        assertEquals(all.floats.get(), f16.floats.get());
    }

    @Test
    void floatFormsRunWhileTheEncodingsAreUnknownThenWait() throws Exception {
        Counting k = new Counting();
        CompletableFuture<Set<Encoding>> header = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> k.warmUp(header));
        for (long end = System.nanoTime() + 20_000_000_000L; k.floats.get() < 41 && System.nanoTime() < end; ) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertTrue(t.isAlive(), "waits for the model's encodings");
        assertEquals(41, k.floats.get(), "40 float-only rounds, then the one that waits");
        assertTrue(k.encoded.isEmpty(), k.encoded.toString());
        int head = k.floats.get();
        header.complete(EnumSet.of(Encoding.Q8_0));
        t.join(60_000);
        assertTrue(!t.isAlive());
        assertEquals(head, k.floatsBeforeEncoded, "no float call between the wait and the first encoded one");
        assertEquals(Set.of(Encoding.Q8_0), k.encoded.keySet());
        assertEquals(128, k.encoded.get(Encoding.Q8_0));
        assertEquals(head + 127, k.floats.get(), "then one float call per encoded round");
    }

    @Test
    void aModelWithoutEncodedWeightsWarmsTheFloatFormsOnly() {
        Counting k = new Counting();
        k.warmUp(CompletableFuture.completedFuture(EnumSet.noneOf(Encoding.class)));
        assertTrue(k.encoded.isEmpty());
        assertEquals(128, k.floats.get());
    }
}
