package dev.quant4j.importance.imatrix;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;

/** The {@code imatrix} calibrator: llama.cpp importance matrices (GGUF and legacy .dat). See docs/imatrix.md. */
@AutoService(CalibratorProvider.class)
@SuppressWarnings("rawtypes") // AutoService names the raw service type, which is what ServiceLoader uses
public final class ImatrixCalibratorProvider implements CalibratorProvider<NoOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "imatrix",
            "llama.cpp importance matrix");

    /** Called by ServiceLoader. */
    public ImatrixCalibratorProvider() {
        // stateless
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public Calibrator create(NoOptions options) {
        return new ImatrixCalibrator();
    }
}
