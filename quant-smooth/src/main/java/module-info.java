/** quant-smooth plugin: model-level equivalence transforms (SmoothQuant, AWQ, rotation). */
module dev.quant4j.smooth {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    exports dev.quant4j.smooth;

    provides dev.quant4j.api.spi.TransformProvider with dev.quant4j.smooth.SmoothQuantProvider,
            dev.quant4j.smooth.AwqProvider, dev.quant4j.smooth.RotateProvider;
}
