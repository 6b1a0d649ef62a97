/** The embeddable library face: quantize jobs over the registry. */
module dev.quant4j.engine {
    requires transitive dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    exports dev.quant4j.engine;
}
