package dev.quant4j.api.spi;

/** Creates {@link Calibrator}s that gather or import activation statistics. */
public non-sealed interface CalibratorProvider<O extends Record> extends Provider<O> {
    @Override
    default ProviderKind kind() {
        return ProviderKind.CALIBRATOR;
    }

    Calibrator create(O options);
}
