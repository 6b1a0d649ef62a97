package dev.quant4j.integer.calib;

import com.google.auto.service.AutoService;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.ProviderDescriptor;

/** {@code minmax}: range statistics whose suggested int8 scale is max |x| / 127; reports the 0.99 quantile of |x|. */
@AutoService(CalibratorProvider.class)
public final class MinMaxCalibratorProvider implements CalibratorProvider<NoOptions> {
    private final ProviderDescriptor descriptor = ProviderDescriptor.of(getClass(), "minmax",
            "Min/max activation ranges");

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public RangeCalibrator create(NoOptions options) {
        return new RangeCalibrator("minmax", ClipMethod.MIN_MAX, 0.99);
    }
}
