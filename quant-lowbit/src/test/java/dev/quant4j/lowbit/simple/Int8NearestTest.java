package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The table lookup agrees with a literal transcription of best_index_int8 (spec section 2.5). */
class Int8NearestTest {
    private static final byte[] K = SimpleTables.kvaluesIq4nl();

    /** The binary search as the spec states it. */
    private static int binarySearch(float v) {
        if (v <= K[0]) {
            return 0;
        }
        if (v >= K[15]) {
            return 15;
        }
        int lo = 0;
        int hi = 15;
        while (hi - lo > 1) {
            int mid = (lo + hi) / 2;
            if (v < K[mid]) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return v - K[lo] < K[hi] - v ? lo : hi;
    }

    @Test
    void handPickedValues() {
        assertEquals(8, Int8Nearest.index(0f));           // 0 is nearer 1 than -10
        assertEquals(0, Int8Nearest.index(-1000f));
        assertEquals(15, Int8Nearest.index(1000f));
        assertEquals(15, Int8Nearest.index(Float.POSITIVE_INFINITY));
        assertEquals(0, Int8Nearest.index(Float.NEGATIVE_INFINITY));
        assertEquals(9, Int8Nearest.index(7f));           // exact midpoint of 1 and 13 goes up
        assertEquals(8, Int8Nearest.index(Math.nextDown(7f)));
        assertEquals(14, Int8Nearest.index(Math.nextDown(101f))); // just below the 89/113 midpoint
        assertEquals(15, Int8Nearest.index(Math.nextDown(113f)));
        assertEquals(-127f, Int8Nearest.level(-134.5f));
        assertEquals(113f, Int8Nearest.level(134.9f));
    }

    @Test
    void agreesWithBinarySearchAroundEveryLevelAndMidpoint() {
        List<Float> probes = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            probes.add((float) K[k]);
            if (k < 15) {
                probes.add((K[k] + K[k + 1]) / 2f);
            }
        }
        for (float p : List.copyOf(probes)) {
            float up = p;
            float down = p;
            for (int i = 0; i < 64; i++) {
                up = Math.nextUp(up);
                down = Math.nextDown(down);
                probes.add(up);
                probes.add(down);
            }
        }
        for (float v : probes) {
            assertEquals(binarySearch(v), Int8Nearest.index(v), "v = " + v);
            if (Math.abs(v) < Int8Nearest.LEVEL_RANGE) {
                assertEquals(K[binarySearch(v)], Int8Nearest.level(v), "v = " + v);
            }
        }
    }

    @Test
    void agreesWithBinarySearchOnRandomValues() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            float v = switch (i % 3) {
                case 0 -> (float) ((rnd.nextDouble() * 2 - 1) * 160);
                case 1 -> Float.intBitsToFloat(rnd.nextInt());       // every magnitude and sign
                default -> (float) rnd.nextInt(-130, 130) + (float) ((rnd.nextDouble() - 0.5) * 1e-4);
            };
            if (!Float.isNaN(v)) {
                assertEquals(binarySearch(v), Int8Nearest.index(v), "v = " + v);
            }
            if (Math.abs(v) < Int8Nearest.LEVEL_RANGE) {
                assertEquals(K[binarySearch(v)], Int8Nearest.level(v), "v = " + v);
            }
        }
    }
}
