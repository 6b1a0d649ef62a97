/** quant-lowbit plugin. */
module dev.quant4j.lowbit {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides dev.quant4j.api.spi.QuantizerProvider with
            dev.quant4j.lowbit.simple.Tq1_0Provider,
            dev.quant4j.lowbit.simple.Tq2_0Provider,
            dev.quant4j.lowbit.simple.Iq4NlProvider,
            dev.quant4j.lowbit.simple.Iq4XsProvider,
            dev.quant4j.lowbit.simple.Mxfp4Provider,
            dev.quant4j.lowbit.bitnet.BitnetAbsmeanProvider;

    exports dev.quant4j.lowbit.bitnet;
}
