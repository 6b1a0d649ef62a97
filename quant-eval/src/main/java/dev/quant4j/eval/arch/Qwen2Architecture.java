package dev.quant4j.eval.arch;

import dev.quant4j.api.spi.ArchitectureProvider;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.tensor.Metadata;

/** Qwen2: llama blocks with q/k/v biases added after the projections, NeoX RoPE. */
public final class Qwen2Architecture implements ArchitectureProvider {
    private static final ProviderDescriptor DESCRIPTOR =
            ProviderDescriptor.of(Qwen2Architecture.class, "qwen2", "Qwen2");

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ArchitectureSpec describe(Metadata metadata) {
        return new Hyperparameters(metadata, "qwen2").spec(RopeStyle.NEOX, true, false);
    }
}
