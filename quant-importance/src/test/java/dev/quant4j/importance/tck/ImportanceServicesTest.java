package dev.quant4j.importance.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class ImportanceServicesTest extends ServiceDeclarationsTestCase {
    @Override protected Class<?> moduleClass() { return dev.quant4j.importance.imatrix.ImatrixCalibratorProvider.class; }
}
