package dev.quant4j.safetensors.tck;

import dev.quant4j.tck.ServiceDeclarationsTestCase;

class SafetensorsServicesTest extends ServiceDeclarationsTestCase {
    @Override protected Class<?> moduleClass() { return dev.quant4j.safetensors.SafetensorsFormatProvider.class; }
}
