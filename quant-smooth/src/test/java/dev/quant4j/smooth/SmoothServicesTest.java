package dev.quant4j.smooth;

import dev.quant4j.tck.ServiceDeclarationsTestCase;

/** module-info {@code provides} and META-INF/services (AutoService) agree. */
class SmoothServicesTest extends ServiceDeclarationsTestCase {
    @Override
    protected Class<?> moduleClass() {
        return SmoothQuantProvider.class;
    }
}
