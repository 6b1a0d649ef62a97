/** The quant4j SPIs, value types, registry and errors. Depends on the JDK alone. */
module dev.quant4j.api {
    exports dev.quant4j.api.error;
    exports dev.quant4j.api.tensor;
    exports dev.quant4j.api.spi;
    exports dev.quant4j.api.registry;
    exports dev.quant4j.api.json;
    exports dev.quant4j.api.io;

    uses dev.quant4j.api.spi.QuantizerProvider;
    uses dev.quant4j.api.spi.CalibratorProvider;
    uses dev.quant4j.api.spi.FormatProvider;
    uses dev.quant4j.api.spi.PlannerProvider;
    uses dev.quant4j.api.spi.ArchitectureProvider;
    uses dev.quant4j.api.spi.TransformProvider;
}
