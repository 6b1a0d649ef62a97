package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class PerLayerPlannerProviderTest extends PlannerProviderTestCase {
    @Override protected PlannerProvider<?> provider() { return new dev.quant4j.integer.plan.PerLayerPlannerProvider(); }
    // the kit's model offers ggml quantizers only
    @Override protected Map<String, String> options() { return Map.of("method", "q8_0"); }
}
