package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.ChannelStat;
import dev.quant4j.tck.TransformProviderTestCase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwqProviderTckTest extends TransformProviderTestCase<AwqProvider> {
    @Override
    protected AwqProvider provider() {
        return new AwqProvider();
    }

    @Test
    void badOptionsAreRejectedNamingTheField() {
        for (var bad : new String[][] {{"grid", "0"}, {"clip-group", "0"}, {"max-shrink", "1"}, {"max-shrink", "-0.1"}}) {
            QuantException e = assertThrows(QuantException.class, () -> provider().parseOptions(Map.of(bad[0], bad[1])));
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
    }

    @Test
    void needsSecondMoments() {
        assertTrue(provider().needs(provider().defaultOptions()).contains(ChannelStat.SECOND_MOMENTS));
    }
}
