/** quant-int plugin. */
module dev.quant4j.integer {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    // seed methods, per-layer planner, dynamic activation quantization, calibration statistics
    exports dev.quant4j.integer.seed;
    exports dev.quant4j.integer.plan;
    exports dev.quant4j.integer.activation;
    exports dev.quant4j.integer.calib;
    provides dev.quant4j.api.spi.QuantizerProvider with
            dev.quant4j.integer.seed.Int8QuantizerProvider,
            dev.quant4j.integer.seed.Int4QuantizerProvider,
            dev.quant4j.integer.seed.Fp8E4M3QuantizerProvider,
            dev.quant4j.integer.seed.Fp8E5M2QuantizerProvider;
    provides dev.quant4j.api.spi.PlannerProvider with dev.quant4j.integer.plan.PerLayerPlannerProvider;
    provides dev.quant4j.api.spi.CalibratorProvider with
            dev.quant4j.integer.calib.MinMaxCalibratorProvider,
            dev.quant4j.integer.calib.PercentileCalibratorProvider;
}
