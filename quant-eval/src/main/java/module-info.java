/** Runs models: architectures, tokenizers, the batched forward pass, calibration, perplexity and KLD. */
module dev.quant4j.eval {
    requires transitive dev.quant4j.api;
    requires dev.quant4j.kernels;
    requires org.slf4j;
    requires jdk.management;
    exports dev.quant4j.eval.tokenizer;
    exports dev.quant4j.eval.model;
    exports dev.quant4j.eval.generate;
    exports dev.quant4j.eval.gptq;

    provides dev.quant4j.api.spi.ArchitectureProvider with
            dev.quant4j.eval.arch.LlamaArchitecture,
            dev.quant4j.eval.arch.Qwen2Architecture,
            dev.quant4j.eval.arch.Qwen3Architecture,
            dev.quant4j.eval.arch.Qwen3MoeArchitecture;
    exports dev.quant4j.eval.metrics;
    exports dev.quant4j.eval.imatrix;
    exports dev.quant4j.eval.evaluation;
    exports dev.quant4j.eval.probe;
    exports dev.quant4j.eval.transform;
    exports dev.quant4j.eval.superweight;
    exports dev.quant4j.eval.report;
}
