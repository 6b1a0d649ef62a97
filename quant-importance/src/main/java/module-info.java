/** quant-importance plugin. */
module dev.quant4j.importance {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    exports dev.quant4j.importance.gptq;
    exports dev.quant4j.importance.imatrix;
    exports dev.quant4j.importance.plan;
    exports dev.quant4j.importance.solve;

    provides dev.quant4j.api.spi.CalibratorProvider with dev.quant4j.importance.imatrix.ImatrixCalibratorProvider;
    provides dev.quant4j.api.spi.QuantizerProvider with dev.quant4j.importance.gptq.GptqQuantizerProvider;
    provides dev.quant4j.api.spi.PlannerProvider with dev.quant4j.importance.plan.ImportancePlannerProvider;
}
