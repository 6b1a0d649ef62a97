package dev.quant4j.smooth;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformProvider;
import dev.quant4j.api.tensor.ChannelStat;
import java.util.Set;

/** The {@code rotate} transform (experimental): an orthogonal rotation of the residual stream, norms folded. */
@AutoService(TransformProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class RotateProvider implements TransformProvider<RotateOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "rotate",
            "experimental: randomised Hadamard (or random orthogonal) rotation of the residual stream, RMSNorm weights folded");

    /** Called by ServiceLoader. */
    public RotateProvider() {
        // stateless
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<RotateOptions> optionsType() {
        return RotateOptions.class;
    }

    @Override
    public Set<ChannelStat> needs(RotateOptions options) {
        return Set.of(); // data-free
    }

    @Override
    public Transform create(RotateOptions options) {
        return new Rotate(options);
    }
}
