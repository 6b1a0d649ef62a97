package dev.quant4j.lowbit.iq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimised neighbour search against a literal one written from spec §8.1 (every candidate of the list
 * in order, {@code d2 += w·d·d}, strict {@code <}), on inputs built to provoke ties (few distinct values),
 * zero and negative weights and both the fast and the fallback paths.
 */
class GridSearchTest {
    static Stream<Arguments> codebooks() {
        return Stream.<Supplier<Codebook>>of(Codebook::iq2xxs, Codebook::iq2xs, Codebook::iq2s, Codebook::iq1s,
                Codebook::iq3xxs, Codebook::iq3s).map(s -> Arguments.of(s.get()));
    }

    @ParameterizedTest
    @MethodSource("codebooks")
    void snapMatchesTheLiteralSearch(Codebook cb) {
        Random r = new Random(cb.size);
        GridSearch search = new GridSearch(cb);
        int kmax = cb.bits == 3 ? 8 : 3;
        float[] odd = new float[8];
        for (int l = 0; l < 8; l++) {
            odd[l] = 2 * l + 1;
        }
        float[] xval = new float[cb.dims];
        float[] w = new float[cb.dims];
        byte[] got = new byte[cb.dims];
        byte[] want = new byte[cb.dims];
        for (int trial = 0; trial < 20000; trial++) {
            fill(r, xval, w, trial);
            float id = (float) (kmax * 2 - 1 + r.nextInt(7) - 3) / 3f;
            float scale = 1 / id;
            search.snap(id, scale, xval, w, 0, got);
            int u = 0;
            for (int i = 0; i < cb.dims; i++) {
                int l = IqMath.level(id, xval[i], kmax);
                want[i] = (byte) l;
                u |= l << (cb.bits * i);
            }
            if (cb.map[u] < 0) {
                levels(cb, literal(cb, u, odd, xval, w, scale), want);
            }
            assertArrayEquals(want, got, "trial " + trial + " x=" + Arrays.toString(xval) + " w=" + Arrays.toString(w));
        }
    }

    /** The sub-block path of the IQ3 family against {@link GridSearch#snap} per group (itself checked above). */
    @ParameterizedTest
    @MethodSource("codebooks")
    void snapGroupsMatchesSnapPerGroup(Codebook cb) {
        if (cb.dims != 4) {
            return;
        }
        Random r = new Random(cb.size + 1);
        GridSearch search = new GridSearch(cb);
        GridSearch single = new GridSearch(cb);
        float[] xval = new float[32];
        float[] w = new float[32];
        float[] gx = new float[4];
        float[] gw = new float[4];
        byte[] got = new byte[32];
        byte[] want = new byte[32];
        boolean[] onGrid = new boolean[8];
        int offGrid = 0;
        for (int trial = 0; trial < 4000; trial++) {
            for (int k = 0; k < 8; k++) {
                // a quarter of the sub-blocks with negative or -0.0 weights (the literal fallback path), half
                // with continuous values (mostly inside their cells: the short lists of DominanceLists)
                fill(r, gx, gw, trial % 4 == 0 ? trial * 8 + k : 1);
                if (trial % 2 == 1) {
                    for (int i = 0; i < 4; i++) {
                        gx[i] = r.nextFloat() * 3;
                        gw[i] = trial % 8 == 1 && i == 0 ? 0 : r.nextFloat();
                    }
                }
                System.arraycopy(gx, 0, xval, 4 * k, 4);
                System.arraycopy(gw, 0, w, 4 * k, 4);
            }
            search.setGroups(xval, w, 32);
            for (int pass = 0; pass < 3; pass++) {
                float id = (float) (15 + r.nextInt(7) - 3) / 3f;
                float scale = 1 / id;
                search.snapGroups(id, scale, got, onGrid);
                for (int k = 0; k < 8; k++) {
                    single.snap(id, scale, xval, w, 4 * k, want);
                    int u = 0;
                    for (int i = 0; i < 4; i++) {
                        u |= IqMath.level(id, xval[4 * k + i], 8) << (3 * i);
                    }
                    assertEquals(cb.map[u] >= 0, onGrid[k], "trial " + trial + " group " + k);
                    offGrid += onGrid[k] ? 0 : 1;
                }
                assertArrayEquals(want, got, "trial " + trial + " pass " + pass);
            }
        }
        assertTrue(offGrid > 10000, "searched groups: " + offGrid);
    }

    /**
     * All scale passes of a sub-block at once (snapPasses, snapGroupPasses: lane per pass with the vector
     * kernels on) against one snapAll / snapGroups per pass (checked above): levels and on-grid flags of
     * every pass, with the pass ids of the real searches, tie-heavy and continuous values, negative weights.
     */
    @ParameterizedTest
    @MethodSource("codebooks")
    void allPassesAtOnceMatchOnePassAtATime(Codebook cb) {
        if (cb == Codebook.iq1s()) {
            return;
        }
        Random r = new Random(cb.size + 2);
        int n = cb.dims == 4 || cb == Codebook.iq2xxs() ? 32 : 16;
        int kmax = cb.bits == 3 ? 8 : 3;
        // IQ2_XXS's 13 passes fit one chunk of lanes (terms formed once per group), the others take two
        int steps = cb.dims == 4 ? 15 : cb == Codebook.iq2xxs() ? 6 : 9;
        float step = cb.dims == 4 ? 0.2f : 0.1f;
        int passes = 2 * steps + 1;
        GridSearch together = new GridSearch(cb);
        GridSearch single = new GridSearch(cb);
        float[] xval = new float[n];
        float[] w = new float[n];
        float[] gx = new float[cb.dims];
        float[] gw = new float[cb.dims];
        float[] ids = new float[32];
        float[] scales = new float[32];
        byte[] got = new byte[passes * n];
        boolean[] gotOn = new boolean[passes * n / cb.dims];
        byte[] want = new byte[n];
        boolean[] wantOn = new boolean[n / cb.dims];
        int offGrid = 0;
        for (int trial = 0; trial < 1500; trial++) {
            for (int k = 0; k < n / cb.dims; k++) {
                fill(r, gx, gw, trial % 4 == 0 ? trial * 8 + k : 1);
                if (trial % 2 == 1) {
                    for (int i = 0; i < cb.dims; i++) {
                        gx[i] = r.nextFloat() * 3;
                        gw[i] = trial % 8 == 1 && i == 0 ? 0 : r.nextFloat();
                    }
                }
                System.arraycopy(gx, 0, xval, cb.dims * k, cb.dims);
                System.arraycopy(gw, 0, w, cb.dims * k, cb.dims);
            }
            float divisor = 0.5f + r.nextFloat() * 2;
            for (int is = -steps, p = 0; is <= steps; is++, p++) {
                ids[p] = (2 * kmax - 1 + is * step) / divisor;
                scales[p] = 1 / ids[p];
            }
            if (cb.dims == 4) {
                together.setGroups(xval, w, n);
                single.setGroups(xval, w, n);
                together.snapGroupPasses(ids, scales, passes, got, gotOn);
            } else {
                together.snapPasses(ids, scales, passes, xval, w, n, got, gotOn);
            }
            for (int p = 0; p < passes; p++) {
                if (cb.dims == 4) {
                    single.snapGroups(ids[p], scales[p], want, wantOn);
                } else {
                    single.snapAll(ids[p], scales[p], xval, w, n, want, wantOn);
                }
                assertArrayEquals(want, Arrays.copyOfRange(got, p * n, p * n + n), "trial " + trial + " pass " + p);
                assertArrayEquals(wantOn, Arrays.copyOfRange(gotOn, p * wantOn.length, (p + 1) * wantOn.length),
                        "trial " + trial + " pass " + p);
                for (boolean on : wantOn) {
                    offGrid += on ? 0 : 1;
                }
            }
        }
        assertTrue(offGrid > 5000, "searched groups: " + offGrid);
    }

    @ParameterizedTest
    @MethodSource("codebooks")
    void iq1NeighbourMatchesTheLiteralSearch(Codebook cb) {
        if (cb != Codebook.iq1s()) {
            return;
        }
        Random r = new Random(7);
        GridSearch search = new GridSearch(cb);
        float[] x = new float[8];
        float[] w = new float[8];
        byte[] got = new byte[8];
        byte[] want = new byte[8];
        for (int trial = 0; trial < 20000; trial++) {
            fill(r, x, w, trial);
            for (int i = 0; i < 8; i++) {
                x[i] -= 1.5f;
            }
            float[] xx = r.nextBoolean() ? Iq1SQuantizer.X_P : Iq1SQuantizer.X_M;
            int u;
            do {
                u = 0;
                for (int i = 0; i < 8; i++) {
                    u |= r.nextInt(3) << (2 * i);
                }
            } while (cb.map[u] >= 0);
            float scale = 0.5f + r.nextInt(4) * 0.25f;
            search.bestNeighbourIq1(u, x, 0, w, 0, scale, xx, got, 0);
            levels(cb, literal(cb, u, xx, x, w, scale), want);
            assertArrayEquals(want, got, "trial " + trial);
        }
    }

    /** Values from a small set (ties), weights mostly non-negative with zeros; every 5th trial has a negative one. */
    private static void fill(Random r, float[] x, float[] w, int trial) {
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(12) * 0.25f;
            w[i] = r.nextInt(4) * 0.5f;
        }
        if (trial % 5 == 0) {
            w[r.nextInt(w.length)] = -0.5f;
        }
        if (trial % 7 == 0) {
            w[r.nextInt(w.length)] = -0.0f;
        }
    }

    /** Spec §8.1 best_neighbour, literally: entries in list order, sequential float sum, strict {@code <}. */
    private static int literal(Codebook cb, int u, float[] q, float[] x, float[] w, float scale) {
        float best = Float.MAX_VALUE;
        int bestEntry = -1;
        for (int e : cb.neighbourList(u)) {
            float d2 = 0;
            for (int i = 0; i < cb.dims; i++) {
                float diff = scale * q[cb.level(e, i)] - x[i];
                d2 += w[i] * diff * diff;
            }
            if (d2 < best) {
                best = d2;
                bestEntry = e;
            }
        }
        return bestEntry;
    }

    private static void levels(Codebook cb, int e, byte[] out) {
        for (int i = 0; i < cb.dims; i++) {
            out[i] = (byte) cb.level(e, i);
        }
    }
}
