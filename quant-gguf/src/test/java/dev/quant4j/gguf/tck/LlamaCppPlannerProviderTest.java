package dev.quant4j.gguf.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class LlamaCppPlannerProviderTest extends PlannerProviderTestCase {
    @Override protected PlannerProvider<?> provider() { return new dev.quant4j.gguf.plan.LlamaCppPlannerProvider(); }
    @Override protected Map<String, String> options() { return Map.of("file-type", "Q8_0"); }
}
