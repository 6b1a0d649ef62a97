package dev.quant4j.integer.calib;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.ProviderDescriptor;

/** {@code percentile}: range statistics whose suggested int8 scale is the p-quantile of |x| / 127 (option p). */
@AutoService(CalibratorProvider.class)
public final class PercentileCalibratorProvider implements CalibratorProvider<PercentileOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "percentile",
            "Percentile-clipped activation ranges");

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<PercentileOptions> optionsType() {
        return PercentileOptions.class;
    }

    @Override
    public RangeCalibrator create(PercentileOptions options) {
        return new RangeCalibrator("percentile", ClipMethod.PERCENTILE, options.p());
    }
}
