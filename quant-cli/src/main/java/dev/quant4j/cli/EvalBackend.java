package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens models for evaluation. The one place where the commands meet the forward pass: {@link #DEFAULT} is to be
 * connected to quant-eval's ModelRunner and {@code Tokenizers.fromMetadata}; until then it refuses with a clear
 * message. Tests pass a synthetic backend.
 */
@FunctionalInterface
interface EvalBackend {
    EvalModel open(QuantRegistry registry, Path model, int threads) throws IOException;

    EvalBackend DEFAULT = (registry, model, threads) -> {
        throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "running a model is not available in this build: the"
                + " forward pass is not connected yet (" + model + ")");
    };
}
