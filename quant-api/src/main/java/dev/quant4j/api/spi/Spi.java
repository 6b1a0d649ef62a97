package dev.quant4j.api.spi;

/** The SPI level this runtime implements. A plugin compiled against another level is refused at load. */
public final class Spi {
    /** Raised whenever an SPI interface changes incompatibly. */
    public static final int LEVEL = 1;

    private Spi() {
    }
}
