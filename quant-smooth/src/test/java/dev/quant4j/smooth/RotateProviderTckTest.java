package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.tck.TransformProviderTestCase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RotateProviderTckTest extends TransformProviderTestCase<RotateProvider> {
    @Override
    protected RotateProvider provider() {
        return new RotateProvider();
    }

    @Test
    void badOptionsAreRejectedNamingTheField() {
        for (var bad : new String[][] {{"method", "givens"}, {"seed", "x"}}) {
            QuantException e = assertThrows(QuantException.class, () -> provider().parseOptions(Map.of(bad[0], bad[1])));
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
    }

    @Test
    void isDataFree() {
        assertTrue(provider().needs(provider().defaultOptions()).isEmpty());
    }
}
