package dev.quant4j.api.spi;

import dev.quant4j.api.tensor.Metadata;

/**
 * A decoder architecture the forward pass can run, named by the {@code general.architecture} value it reads
 * (e.g. {@code llama}, {@code qwen2}). It turns a model's metadata into an {@link ArchitectureSpec}: the
 * hyperparameters and which of the building blocks the engine implements (RoPE style, q/k/v biases, q/k norms,
 * mixture of experts) the graph uses. quant-eval ships {@code llama}, {@code qwen2}, {@code qwen3} and
 * {@code qwen3moe}; a plugin jar adds an architecture by providing another one (for example {@code mistral}
 * or {@code smollm} read as llama blocks) without touching quant4j.
 *
 * <p>It lives in quant-api, like the other provider kinds, because ServiceLoader is used only by the
 * registry and the registry depends on the JDK alone; so the spec is a small declarative record rather
 * than code that builds tensors.
 */
public non-sealed interface ArchitectureProvider extends Provider<NoOptions> {
    @Override
    default ProviderKind kind() {
        return ProviderKind.ARCHITECTURE;
    }

    @Override
    default Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    /**
     * The graph of a model of this architecture, read from its metadata the way llama.cpp reads it.
     *
     * @throws dev.quant4j.api.error.QuantException UNSUPPORTED_SHAPE naming a missing or invalid key
     */
    ArchitectureSpec describe(Metadata metadata);
}
