/** quant-importance plugin. */
module dev.quant4j.importance {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;
}
