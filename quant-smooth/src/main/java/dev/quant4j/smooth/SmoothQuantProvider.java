package dev.quant4j.smooth;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformProvider;
import dev.quant4j.api.tensor.ChannelStat;
import java.util.Set;

/** The {@code smoothquant} transform: per-channel scales migrated from activations into weights. */
@AutoService(TransformProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class SmoothQuantProvider implements TransformProvider<SmoothQuantOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "smoothquant",
            "SmoothQuant scales folded into norms and producing weights", Capability.REQUIRES_CALIBRATION);

    /** Called by ServiceLoader. */
    public SmoothQuantProvider() {
        // stateless
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<SmoothQuantOptions> optionsType() {
        return SmoothQuantOptions.class;
    }

    @Override
    public Set<ChannelStat> needs(SmoothQuantOptions options) {
        return options.search() > 0 ? Set.of(ChannelStat.ABS_MAX, ChannelStat.MEAN_SQUARES, ChannelStat.SECOND_MOMENTS)
                : Set.of(ChannelStat.ABS_MAX);
    }

    @Override
    public Transform create(SmoothQuantOptions options) {
        return new SmoothQuant(options.alpha(), options.search(), options.output());
    }
}
