/**
 * Hot numeric loops shared by plugins. JDK only; {@code jdk.incubator.vector} is optional and used only by
 * {@code dev.quant4j.kernels.vector} when present at run time (see {@link dev.quant4j.kernels.Vectorization}).
 */
module dev.quant4j.kernels {
    requires static jdk.incubator.vector;

    exports dev.quant4j.kernels;
    exports dev.quant4j.kernels.gptq;
}
