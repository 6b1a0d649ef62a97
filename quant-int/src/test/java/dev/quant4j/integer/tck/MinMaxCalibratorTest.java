package dev.quant4j.integer.tck;

import dev.quant4j.api.spi.*;
import dev.quant4j.tck.*;
import java.util.Map;

class MinMaxCalibratorTest extends CalibratorProviderTestCase {
    @Override protected CalibratorProvider<?> provider() { return new dev.quant4j.integer.calib.MinMaxCalibratorProvider(); }
}
