package dev.quant4j.cli;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.evaluation.LayerStreaming;
import dev.quant4j.eval.imatrix.ActivationSource;
import dev.quant4j.eval.metrics.LogitsSource;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens models for evaluation. {@link #DEFAULT} is quant-eval's {@link EvaluationModel} (the forward pass and the
 * file's tokenizer); tests pass a synthetic backend.
 */
@FunctionalInterface
interface EvalBackend {
    /**
     * @param threads worker threads; 0 or less = all available processors
     * @param f16     llama.cpp's F16 emulation ({@link RunOptions#llamaCppEmulation()}): F16 K/V cache and
     *                F16-rounded activations in F16 matmuls
     * @param layerStreaming all chunks through one layer before the next: true, false, or null = when the model
     *                is larger than the available memory
     */
    EvalModel open(QuantRegistry registry, Path model, int threads, boolean f16, Boolean layerStreaming)
            throws IOException;

    EvalBackend DEFAULT = standard(false);

    /**
     * quant-eval's forward pass; {@code int8Activations} simulates vLLM's dynamic per-token int8 activations at every
     * layer Linear ({@link RunOptions#int8Activations()}).
     */
    static EvalBackend standard(boolean int8Activations) {
        return (registry, model, threads, f16, layerStreaming) -> open(registry, model, threads, f16, layerStreaming,
                int8Activations);
    }

    private static EvalModel open(QuantRegistry registry, Path model, int threads, boolean f16, Boolean layerStreaming,
                                  boolean int8Activations) throws IOException {
        RunOptions options = (f16 ? RunOptions.llamaCppEmulation() : RunOptions.defaults())
                .withInt8Activations(int8Activations);
        if (threads > 0) {
            options = options.withThreads(threads);
        }
        EvaluationModel m = EvaluationModel.open(model, registry, options, layerStreaming == null
                ? LayerStreaming.AUTO : layerStreaming ? LayerStreaming.ON : LayerStreaming.OFF);
        return new EvalModel() {
            @Override
            public Tokenizer tokenizer() {
                return m.tokenizer();
            }

            @Override
            public LogitsSource logits() {
                return m;
            }

            @Override
            public ActivationSource activations() {
                return m;
            }

            @Override
            public int chunkBos() {
                return m.chunkBos();
            }

            @Override
            public void close() throws IOException {
                m.close();
            }
        };
    }
}
