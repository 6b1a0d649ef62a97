/** quant-gguf plugin: the GGUF format and the llama.cpp mixture planner. */
module dev.quant4j.gguf {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    exports dev.quant4j.gguf.plan;

    provides dev.quant4j.api.spi.FormatProvider with dev.quant4j.gguf.io.GgufFormatProvider;
    provides dev.quant4j.api.spi.PlannerProvider with dev.quant4j.gguf.plan.LlamaCppPlannerProvider;
}
