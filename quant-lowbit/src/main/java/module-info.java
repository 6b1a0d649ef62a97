/** quant-lowbit plugin. */
module dev.quant4j.lowbit {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides dev.quant4j.api.spi.QuantizerProvider with dev.quant4j.lowbit.kquant.Q2KProvider;
}
