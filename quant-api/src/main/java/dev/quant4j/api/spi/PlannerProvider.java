package dev.quant4j.api.spi;

/** Creates {@link Planner}s: per-tensor decisions for a whole model. */
public non-sealed interface PlannerProvider<O extends Record> extends Provider<O> {
    @Override
    default ProviderKind kind() {
        return ProviderKind.PLANNER;
    }

    Planner create(O options);
}
