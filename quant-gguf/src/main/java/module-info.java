/** quant-gguf plugin. */
module dev.quant4j.gguf {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides dev.quant4j.api.spi.FormatProvider with dev.quant4j.gguf.io.GgufFormatProvider;
}
