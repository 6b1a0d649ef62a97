package dev.quant4j.eval.arch;

import dev.quant4j.api.spi.ArchitectureProvider;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.tensor.Metadata;

/** Qwen3: per-head RMSNorm of q and k ({@code attn_q_norm}, {@code attn_k_norm}) before NeoX RoPE. */
public final class Qwen3Architecture implements ArchitectureProvider {
    private static final ProviderDescriptor DESCRIPTOR =
            ProviderDescriptor.of(Qwen3Architecture.class, "qwen3", "Qwen3");

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ArchitectureSpec describe(Metadata metadata) {
        return new Hyperparameters(metadata, "qwen3").spec(RopeStyle.NEOX, false, true);
    }
}
