/** quant-lowbit plugin: Q2_K, ternary (TQ1_0, TQ2_0, BitNet absmean), Q1_0, Q2_0, IQ4_NL/IQ4_XS, MXFP4, NVFP4, IQ codebook types. */
module dev.quant4j.lowbit {
    requires transitive dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    exports dev.quant4j.lowbit.bitnet;

    provides dev.quant4j.api.spi.QuantizerProvider with
            dev.quant4j.lowbit.kquant.Q2KProvider,
            dev.quant4j.lowbit.simple.Tq1_0Provider,
            dev.quant4j.lowbit.simple.Tq2_0Provider,
            dev.quant4j.lowbit.simple.Q1_0Provider,
            dev.quant4j.lowbit.simple.Q2_0Provider,
            dev.quant4j.lowbit.simple.Iq4NlProvider,
            dev.quant4j.lowbit.simple.Iq4XsProvider,
            dev.quant4j.lowbit.simple.Mxfp4Provider,
            dev.quant4j.lowbit.simple.Nvfp4Provider,
            dev.quant4j.lowbit.bitnet.BitnetAbsmeanProvider,
            dev.quant4j.lowbit.iq.Iq1SProvider,
            dev.quant4j.lowbit.iq.Iq1MProvider,
            dev.quant4j.lowbit.iq.Iq2XxsProvider,
            dev.quant4j.lowbit.iq.Iq2XsProvider,
            dev.quant4j.lowbit.iq.Iq2SProvider,
            dev.quant4j.lowbit.iq.Iq3XxsProvider,
            dev.quant4j.lowbit.iq.Iq3SProvider;
    provides dev.quant4j.api.spi.PlannerProvider with dev.quant4j.lowbit.bitnet.BitnetPlannerProvider;
}
