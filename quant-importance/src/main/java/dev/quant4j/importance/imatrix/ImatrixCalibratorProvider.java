package dev.quant4j.importance.imatrix;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;

/** The {@code imatrix} calibrator: llama.cpp importance matrices (GGUF and legacy .dat). See docs/imatrix.md. */
@AutoService(CalibratorProvider.class)
public final class ImatrixCalibratorProvider implements CalibratorProvider<NoOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "imatrix",
            "llama.cpp importance matrix");

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
