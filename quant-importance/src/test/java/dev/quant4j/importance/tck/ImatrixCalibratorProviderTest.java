package dev.quant4j.importance.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class ImatrixCalibratorProviderTest extends CalibratorProviderTestCase {
    @Override protected CalibratorProvider<?> provider() { return new dev.quant4j.importance.imatrix.ImatrixCalibratorProvider(); }
}
