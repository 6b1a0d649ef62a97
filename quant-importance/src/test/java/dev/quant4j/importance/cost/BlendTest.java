package dev.quant4j.importance.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The calibrated blend against hand-computed scales. */
class BlendTest {
    private static Map<String, Cost> we(double... v) {
        Map<String, Cost> m = new LinkedHashMap<>();
        String[] types = {"x", "y", "z"};
        for (int i = 0; i < v.length; i++) {
            m.put(types[i], new Cost(types[i], v[i], 0));
        }
        return m;
    }

    @Test
    void scalesAreGeometricMeansOfTheRatiosWithRoleThenGlobalFallback() {
        Map<String, Map<String, Cost>> weighted = new LinkedHashMap<>();
        weighted.put("blk.0.ffn_down.weight", we(1, 4, 9));
        weighted.put("blk.1.ffn_down.weight", we(2, 3));
        weighted.put("blk.0.attn_v.weight", we(3, 5));
        weighted.put("blk.1.attn_v.weight", we(7, 1));
        weighted.put("output.weight", we(10, 20));
        Map<String, Map<String, Double>> kld = new LinkedHashMap<>();
        kld.put("blk.0.ffn_down.weight", Map.of("x", 2.0, "z", 72.0)); // ratios 2 and 8: scale 4
        kld.put("blk.0.attn_v.weight", Map.of("x", 0.3));               // ratio 0.1
        kld.put("blk.1.attn_v.weight", Map.of("y", 0.0));               // unusable: role fallback
        Blend.Result r = Blend.blend(weighted, kld, t -> t.replaceFirst("^blk\\.\\d+\\.", ""));

        Map<String, Double> down0 = r.costs().get("blk.0.ffn_down.weight");
        assertEquals(2.0, down0.get("x"), 0, "measured point kept");
        assertEquals(16.0, down0.get("y"), 1e-12, "4 × 4");
        assertEquals(72.0, down0.get("z"), 0);
        assertEquals(4.0, r.fits().get("blk.0.ffn_down.weight").scale(), 1e-12);
        assertEquals(2, r.fits().get("blk.0.ffn_down.weight").points());

        assertEquals(8.0, r.costs().get("blk.1.ffn_down.weight").get("x"), 1e-12, "same role, other layer");
        assertEquals("class fit", r.fits().get("blk.1.ffn_down.weight").source());
        assertEquals(0.3, r.costs().get("blk.0.attn_v.weight").get("x"), 0);
        assertEquals(0.5, r.costs().get("blk.0.attn_v.weight").get("y"), 1e-12);
        assertEquals(0.7, r.costs().get("blk.1.attn_v.weight").get("x"), 1e-12);
        assertEquals(0.0, r.costs().get("blk.1.attn_v.weight").get("y"), 0, "a measured 0 stays 0");

        double global = Math.sqrt(4 * 0.1); // geometric mean of the two fitted tensors
        assertEquals(global, r.fits().get("output.weight").scale(), 1e-12);
        assertEquals("global fit", r.fits().get("output.weight").source());
        assertEquals(10 * global, r.costs().get("output.weight").get("x"), 1e-12);
    }

    @Test
    void withoutAnyMeasuredPointTheWeightedErrorIsUnscaled() {
        Blend.Result r = Blend.blend(Map.of("a", we(1, 2)), Map.of(), t -> t);
        assertEquals(2.0, r.costs().get("a").get("y"), 0);
        assertEquals("unscaled", r.fits().get("a").source());
    }
}
