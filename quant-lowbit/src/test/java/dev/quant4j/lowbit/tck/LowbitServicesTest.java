package dev.quant4j.lowbit.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class LowbitServicesTest extends ServiceDeclarationsTestCase {
    @Override protected Class<?> moduleClass() { return dev.quant4j.lowbit.simple.Tq1_0Provider.class; }
}
