package dev.quant4j.smooth;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformProvider;
import dev.quant4j.api.tensor.ChannelStat;
import java.util.Set;

/** The {@code awq} transform: activation-aware scales searched against the quantizer each weight will get. */
@AutoService(TransformProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class AwqProvider implements TransformProvider<AwqOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "awq",
            "AWQ scale (and clipping) search folded into norms and producing weights", Capability.REQUIRES_CALIBRATION);

    /** Called by ServiceLoader. */
    public AwqProvider() {
        // stateless
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<AwqOptions> optionsType() {
        return AwqOptions.class;
    }

    @Override
    public Set<ChannelStat> needs(AwqOptions options) {
        return Set.of(ChannelStat.MEAN_SQUARES, ChannelStat.SECOND_MOMENTS);
    }

    @Override
    public Transform create(AwqOptions options) {
        return new Awq(options);
    }
}
