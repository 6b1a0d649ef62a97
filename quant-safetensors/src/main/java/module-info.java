/** quant-safetensors plugin: the safetensors format; Hugging Face checkpoints read as GGUF-shaped models. */
module dev.quant4j.safetensors {
    requires dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires static com.google.auto.service;

    provides dev.quant4j.api.spi.FormatProvider with dev.quant4j.safetensors.SafetensorsFormatProvider,
            dev.quant4j.safetensors.ct.CtFormatProvider;
}
