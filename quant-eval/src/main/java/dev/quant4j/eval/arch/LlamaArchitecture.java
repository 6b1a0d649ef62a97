package dev.quant4j.eval.arch;

import dev.quant4j.api.spi.ArchitectureProvider;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.tensor.Metadata;

/**
 * Llama 1/2/3, Mistral, TinyLlama, SmolLM and Mixtral-style MoE ({@code ffn_*_exps} + {@code ffn_gate_inp}):
 * RoPE on adjacent pairs, optional biases.
 */
public final class LlamaArchitecture implements ArchitectureProvider {
    private static final ProviderDescriptor DESCRIPTOR =
            ProviderDescriptor.of(LlamaArchitecture.class, "llama", "Llama (dense and Mixtral MoE)");

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ArchitectureSpec describe(Metadata metadata) {
        return new Hyperparameters(metadata, "llama").spec(RopeStyle.NORM, false, false);
    }
}
