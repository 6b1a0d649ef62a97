package dev.quant4j.integer.plan;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.ProviderDescriptor;

/**
 * {@code per-layer}: a default method plus per-tensor overrides by name or pattern, norms and 1-D tensors kept
 * ({@link PerLayerPlanner}, options {@link PerLayerOptions}).
 */
@AutoService(PlannerProvider.class)
public final class PerLayerPlannerProvider implements PlannerProvider<PerLayerOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "per-layer",
            "Per-layer method choice (default method, overrides by name or pattern)");

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<PerLayerOptions> optionsType() {
        return PerLayerOptions.class;
    }

    @Override
    public PerLayerPlanner create(PerLayerOptions options) {
        return new PerLayerPlanner(options);
    }
}
