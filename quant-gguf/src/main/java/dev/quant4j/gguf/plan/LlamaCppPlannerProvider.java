package dev.quant4j.gguf.plan;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.ProviderDescriptor;

/**
 * The {@code llama-cpp} planner: llama.cpp's llama-quantize file types (Q4_K_M, IQ2_XS, ...), per-tensor rules
 * and options, reproduced exactly (shared/spec/mixtures.md). See docs/llama-cpp-planner.md.
 */
@AutoService(PlannerProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class LlamaCppPlannerProvider implements PlannerProvider<LlamaCppOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "llama-cpp",
            "llama.cpp llama-quantize mixtures", Capability.USES_CALIBRATION);

    /** Called by ServiceLoader. */
    public LlamaCppPlannerProvider() {
        // stateless
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<LlamaCppOptions> optionsType() {
        return LlamaCppOptions.class;
    }

    @Override
    public Planner create(LlamaCppOptions options) {
        return new LlamaCppPlanner(options.settings(), options.quantizer());
    }
}
