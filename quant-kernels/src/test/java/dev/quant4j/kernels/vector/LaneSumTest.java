package dev.quant4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** LaneSum against the halving tree written out in scalar float arithmetic, on values of wide dynamic range. */
class LaneSumTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static float scalarTree(float[] a, int off) {
        float[] t = java.util.Arrays.copyOfRange(a, off, off + S.length());
        for (int w = t.length / 2; w >= 1; w /= 2) {
            for (int i = 0; i < w; i++) {
                t[i] = t[i] + t[i + w];
            }
        }
        return t[0];
    }

    @Test
    void addsByTheHalvingTreeBitForBit() {
        Random r = new Random(7);
        int n = 20_000;
        float[] a = new float[n * S.length()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextGaussian() * Math.exp(3 * r.nextGaussian()));
        }
        int sequentialDiffers = 0;
        // enough calls that the JIT compiles LaneSum.of part-way through: both forms must agree with the tree
        for (int k = 0; k < n; k++) {
            float got = LaneSum.of(FloatVector.fromArray(S, a, k * S.length()));
            assertEquals(Float.floatToRawIntBits(scalarTree(a, k * S.length())), Float.floatToRawIntBits(got),
                    "row " + k);
            float seq = 0;
            for (int i = 0; i < S.length(); i++) {
                seq += a[k * S.length() + i];
            }
            sequentialDiffers += seq == got ? 0 : 1;
        }
        if (S.length() > 2) {   // the order matters on these data: a test of the order, not only of the value
            assertEquals(true, sequentialDiffers > n / 10, sequentialDiffers + " of " + n + " differ from lane order");
        }
    }
}
