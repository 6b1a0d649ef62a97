package dev.quant4j.importance.plan;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.ProviderDescriptor;

/**
 * The {@code importance} planner: measured per-tensor bit allocation to a target size. See
 * docs/importance-planner.md.
 */
@AutoService(PlannerProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class ImportancePlannerProvider implements PlannerProvider<ImportanceOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "importance",
            "measured per-tensor allocation to a target size", Capability.USES_CALIBRATION);

    /** Called by ServiceLoader. */
    public ImportancePlannerProvider() {
        // stateless
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<ImportanceOptions> optionsType() {
        return ImportanceOptions.class;
    }

    @Override
    public Planner create(ImportanceOptions options) {
        return new ImportancePlanner(options);
    }
}
