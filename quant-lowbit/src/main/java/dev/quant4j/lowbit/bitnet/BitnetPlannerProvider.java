package dev.quant4j.lowbit.bitnet;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.ProviderDescriptor;

/**
 * The {@code bitnet-absmean} planner: a whole model to BitNet b1.58 ternary weights ({@link BitnetPlanner}),
 * configured by the same {@link BitnetOptions} as the quantizer of that name ({@code tensors},
 * {@code kept-precision}, {@code layout}).
 */
@AutoService(PlannerProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class BitnetPlannerProvider implements PlannerProvider<BitnetOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "bitnet-absmean",
            "BitNet b1.58 absmean ternary model (TQ2_0/TQ1_0 linear weights)");

    /** For ServiceLoader. */
    public BitnetPlannerProvider() {
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<BitnetOptions> optionsType() {
        return BitnetOptions.class;
    }

    @Override
    public Planner create(BitnetOptions options) {
        return new BitnetPlanner(options);
    }
}
