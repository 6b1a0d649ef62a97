package dev.quant4j.integer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed providers are found by name through META-INF/services, as the engine finds them. */
class SeedProvidersDiscoveryTest {
    private final QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());

    @Test
    void discoverableByName() {
        assertTrue(registry.names(ProviderKind.QUANTIZER).containsAll(java.util.List.of("int8", "int4", "fp8_e4m3",
                "fp8_e5m2")), registry.names(ProviderKind.QUANTIZER).toString());
        assertTrue(registry.names(ProviderKind.PLANNER).contains("per-layer"));
        assertTrue(registry.names(ProviderKind.CALIBRATOR).containsAll(java.util.List.of("minmax", "percentile")));
    }

    @Test
    void quantizesThroughTheRegistryFromOptionStrings() {
        float[] x = {1f, -2f, 3f, -4f};
        TensorView v = TensorView.ofFloats("w", Shape.of(2, 2), x);
        for (var e : Map.of("int8", Map.of("granularity", "per-tensor"), "int4", Map.of("group-size", "2"),
                "fp8_e4m3", Map.<String, String>of(), "fp8_e5m2", Map.of("granularity", "per-row")).entrySet()) {
            Quantizer q = create(registry.quantizer(e.getKey()), e.getValue());
            var enc = q.quantize(v, null, Arena.ofAuto());
            assertEquals(q.encodedBytes("w", v.shape()), enc.data().byteSize());
            float[] back = new float[4];
            q.dequantize(enc.data(), v.shape(), 0, 2, back);
            // coarsest step here: fp8 e5m2 per-row, 2 mantissa bits -> half a step is 1/8 of |x| at most
            for (int i = 0; i < 4; i++) {
                assertTrue(Math.abs(x[i] - back[i]) <= Math.abs(x[i]) / 8, e.getKey() + " element " + i);
            }
        }
    }

    private static <O extends Record> Quantizer create(dev.quant4j.api.spi.QuantizerProvider<O> p,
                                                       Map<String, String> opts) {
        return p.create(p.parseOptions(opts));
    }
}
