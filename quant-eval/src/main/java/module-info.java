/** Runs models: architectures, tokenizers, the batched forward pass, calibration, perplexity and KLD. */
module dev.quant4j.eval {
    requires transitive dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    exports dev.quant4j.eval.tokenizer;
    exports dev.quant4j.eval.metrics;
    exports dev.quant4j.eval.imatrix;
}
