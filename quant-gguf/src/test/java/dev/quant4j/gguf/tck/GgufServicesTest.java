package dev.quant4j.gguf.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class GgufServicesTest extends ServiceDeclarationsTestCase {
    @Override protected Class<?> moduleClass() { return dev.quant4j.gguf.plan.LlamaCppPlannerProvider.class; }
}
