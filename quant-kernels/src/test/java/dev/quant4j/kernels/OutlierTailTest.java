package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlierTailTest {
    @Test
    void quantileWithinOneBinOfTheSortedTruth() {
        Random r = new Random(5);
        double[] x = new double[200_000];
        OutlierTail a = new OutlierTail();
        OutlierTail b = new OutlierTail();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.abs(r.nextGaussian()) * 0.02;
            (i % 2 == 0 ? a : b).add(x[i]);
        }
        a.add(b);
        assertEquals(x.length, a.count());
        Arrays.sort(x);
        for (double q : new double[] {0.5, 0.99, 0.9999}) {
            double truth = x[(int) Math.ceil(q * x.length) - 1];
            double est = a.quantile(q);
            assertTrue(est >= truth && est <= truth * Math.pow(2, 1.0 / 64) * 1.0001, q + ": " + est + " vs " + truth);
        }
    }

    @Test
    void zerosCountBelowEverything() {
        OutlierTail t = new OutlierTail();
        for (int i = 0; i < 10; i++) {
            t.add(0);
        }
        t.add(1);
        assertTrue(t.quantile(0.5) < 1e-18);
        assertEquals(1.0, t.quantile(1.0), 0.02);
    }
}
