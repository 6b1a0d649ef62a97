package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.tck.TransformProviderTestCase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmoothQuantProviderTckTest extends TransformProviderTestCase<SmoothQuantProvider> {
    @Override
    protected SmoothQuantProvider provider() {
        return new SmoothQuantProvider();
    }

    @Test
    void alphaOutsideTheUnitIntervalIsRejected() {
        for (String bad : new String[] {"-0.1", "1.5", "NaN"}) {
            assertThrows(QuantException.class, () -> provider().parseOptions(Map.of("alpha", bad)), bad);
        }
    }

    @Test
    void searchOutsideItsRangeIsRejectedAndAsksForSecondMoments() {
        assertThrows(QuantException.class, () -> provider().parseOptions(Map.of("search", "-1")));
        SmoothQuantProvider p = new SmoothQuantProvider();
        org.junit.jupiter.api.Assertions.assertTrue(p.needs(p.parseOptions(Map.of("search", "4")))
                .contains(dev.quant4j.api.tensor.ChannelStat.SECOND_MOMENTS));
    }

    @Test
    void scalesFollowTheFormula() {
        float[] s = SmoothQuant.scales(new float[] {4f, 0f, 9f}, new float[] {1f, 2f, 0f}, 0.5);
        // sqrt(4) / sqrt(1) = 2; no activation signal or no weight signal: 1
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {2f, 1f, 1f}, s);
        float[] s1 = SmoothQuant.scales(new float[] {3f}, new float[] {5f}, 1.0);
        org.junit.jupiter.api.Assertions.assertEquals(3f, s1[0], 1e-6f); // alpha 1: s = max|X|
    }
}
