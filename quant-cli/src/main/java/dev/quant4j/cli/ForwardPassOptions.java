package dev.quant4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How the evaluation commands run a model (picocli mixin): threads, layer streaming, llama.cpp's F16 rounding,
 * simulated int8 activations.
 */
final class ForwardPassOptions {
    @Option(names = "--layer-streaming", negatable = true, description = "Run all chunks through one layer before"
            + " the next, so each weight is read from disk once (default: on when the model is larger than the"
            + " available memory).")
    Boolean layerStreaming;

    @Option(names = "--f16-emulation", description = "Round the K/V cache and F16-matmul activations to F16 as llama.cpp does.")
    boolean f16;

    @Option(names = "--int8-activations", description = {"Simulate dynamic per-token int8 activations (symmetric, max|x|/127",
        "per token) at every layer Linear, as vLLM runs a compressed-tensors W8A8 model."})
    boolean int8Activations;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0", description = "Threads (default: all cores).")
    int threads;

    /** A base model (kld's reference): these options without the simulated int8 activations. */
    EvalModel openBase(EvalBackend backend, Path model) throws IOException {
        return backend.open(Registries.load(), model, threads, f16, layerStreaming);
    }

    /** {@code model} opened through {@code backend} with these options. */
    EvalModel open(EvalBackend backend, Path model) throws IOException {
        EvalBackend b = int8Activations && backend == EvalBackend.DEFAULT ? EvalBackend.standard(true) : backend;
        return b.open(Registries.load(), model, threads, f16, layerStreaming);
    }
}
