package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shortened nearest-code search gives exactly what ggml's plain 16-code scan gives. */
class E2m1Test {
    /** ggml's best_index_mxfp4, literally: every code, strict {@code <}. */
    static int nearestByScan(float x, float s) {
        int best = 0;
        float bestErr = Math.abs(E2m1.LEVELS[0] * s - x);
        for (int i = 1; i < 16; i++) {
            float err = Math.abs(E2m1.LEVELS[i] * s - x);
            if (err < bestErr) {
                best = i;
                bestErr = err;
            }
        }
        return best;
    }

    @Test
    void agreesWithTheFullScanOnEveryScaleBothFormatsUse() {
        List<Float> scales = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            scales.add(Ue4m3.decode(b));
            scales.add(Mxfp4Quantizer.half(b));
        }
        SplittableRandom rnd = new SplittableRandom(42);
        long checked = 0;
        for (float s : scales) {
            List<Float> xs = new ArrayList<>(List.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e30f, -1e30f));
            for (float level : E2m1.LEVELS) {
                float v = level * s;
                // the levels, the midpoints between them (ties) and their float neighbours
                for (float other : E2m1.LEVELS) {
                    float mid = (v + other * s) / 2;
                    xs.addAll(List.of(v, -v, mid, -mid, Math.nextUp(mid), Math.nextDown(mid), -Math.nextUp(mid),
                            -Math.nextDown(mid)));
                }
            }
            for (int i = 0; i < 200; i++) {
                xs.add((float) ((rnd.nextDouble() * 2 - 1) * 14 * s));
            }
            for (float x : xs) {
                int want = nearestByScan(x, s);
                int got = E2m1.nearest(x, s);
                if (want != got) {
                    assertEquals(want, got, "x = " + x + ", s = " + s);
                }
                checked++;
            }
        }
        assertTrue(checked > 1_000_000, checked + " cases");
    }
}
