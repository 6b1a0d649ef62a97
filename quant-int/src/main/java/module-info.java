/**
 * quant-int plugin: ggml F32/F16/BF16, legacy Q4_0..Q8_1 and k-quant Q3_K..Q8_K quantizers; INT8/INT4/FP8 seed
 * methods, the per-layer planner, dynamic activation quantization and calibration statistics.
 */
module dev.quant4j.integer {
    requires transitive dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    exports dev.quant4j.integer.seed;
    exports dev.quant4j.integer.ct;
    exports dev.quant4j.integer.plan;
    exports dev.quant4j.integer.activation;
    exports dev.quant4j.integer.calib;

    provides dev.quant4j.api.spi.QuantizerProvider with
            dev.quant4j.integer.ggml.GgmlProviders.F32,
            dev.quant4j.integer.ggml.GgmlProviders.F16,
            dev.quant4j.integer.ggml.GgmlProviders.BF16,
            dev.quant4j.integer.ggml.GgmlProviders.Q4_0,
            dev.quant4j.integer.ggml.GgmlProviders.Q4_1,
            dev.quant4j.integer.ggml.GgmlProviders.Q5_0,
            dev.quant4j.integer.ggml.GgmlProviders.Q5_1,
            dev.quant4j.integer.ggml.GgmlProviders.Q8_0,
            dev.quant4j.integer.ggml.GgmlProviders.Q8_1,
            dev.quant4j.integer.ggml.GgmlProviders.Q3_K,
            dev.quant4j.integer.ggml.GgmlProviders.Q4_K,
            dev.quant4j.integer.ggml.GgmlProviders.Q5_K,
            dev.quant4j.integer.ggml.GgmlProviders.Q6_K,
            dev.quant4j.integer.ggml.GgmlProviders.Q8_K,
            dev.quant4j.integer.seed.Int8QuantizerProvider,
            dev.quant4j.integer.seed.Int4QuantizerProvider,
            dev.quant4j.integer.seed.Fp8E4M3QuantizerProvider,
            dev.quant4j.integer.seed.Fp8E5M2QuantizerProvider;
    provides dev.quant4j.api.spi.PlannerProvider with dev.quant4j.integer.plan.PerLayerPlannerProvider;
    provides dev.quant4j.api.spi.CalibratorProvider with
            dev.quant4j.integer.calib.MinMaxCalibratorProvider,
            dev.quant4j.integer.calib.PercentileCalibratorProvider;
}
