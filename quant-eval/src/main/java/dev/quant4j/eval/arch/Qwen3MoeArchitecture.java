package dev.quant4j.eval.arch;

import dev.quant4j.api.spi.ArchitectureProvider;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.tensor.Metadata;

/** Qwen3-MoE: qwen3 attention with a top-k renormalised mixture of experts in every block. */
public final class Qwen3MoeArchitecture implements ArchitectureProvider {
    private static final ProviderDescriptor DESCRIPTOR =
            ProviderDescriptor.of(Qwen3MoeArchitecture.class, "qwen3moe", "Qwen3 MoE");

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ArchitectureSpec describe(Metadata metadata) {
        return new Hyperparameters(metadata, "qwen3moe").spec(RopeStyle.NEOX, false, true);
    }
}
