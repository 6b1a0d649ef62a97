/** quant-int plugin: ggml F32/F16/BF16, legacy Q4_0..Q8_1 and k-quant Q3_K..Q8_K quantizers. */
module dev.quant4j.integer {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

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
            dev.quant4j.integer.ggml.GgmlProviders.Q8_K;
}
