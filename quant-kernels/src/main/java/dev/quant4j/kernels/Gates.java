package dev.quant4j.kernels;

/** The {@link WarmGate} of each vector kernel that more than one dispatcher creates or calls. */
final class Gates {
    static final WarmGate QX = new WarmGate(false);
    static final WarmGate QKX = new WarmGate(false);
    static final WarmGate Q3 = new WarmGate(false);
    static final WarmGate REQUANTIZE_AFFINE = new WarmGate();
    static final WarmGate REQUANTIZE_SYMMETRIC = new WarmGate();
    static final WarmGate REQUANTIZE_BLOCKS = new WarmGate();
    static final WarmGate FINITE = new WarmGate();
    static final WarmGate ERROR_SUMS = new WarmGate();
    static final WarmGate SQUARE_SUMS = new WarmGate();

    private Gates() {
    }
}
