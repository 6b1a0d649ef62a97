/** quant-lowbit plugin. */
module dev.quant4j.lowbit {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides dev.quant4j.api.spi.QuantizerProvider with
            dev.quant4j.lowbit.iq.Iq1SProvider,
            dev.quant4j.lowbit.iq.Iq1MProvider,
            dev.quant4j.lowbit.iq.Iq2XxsProvider,
            dev.quant4j.lowbit.iq.Iq2XsProvider,
            dev.quant4j.lowbit.iq.Iq2SProvider,
            dev.quant4j.lowbit.iq.Iq3XxsProvider,
            dev.quant4j.lowbit.iq.Iq3SProvider;
}
