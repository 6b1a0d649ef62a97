/** Hot numeric loops shared by plugins. JDK only. */
module dev.quant4j.kernels {
    exports dev.quant4j.kernels;
}
