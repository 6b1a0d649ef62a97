package dev.quant4j.integer.activation;

/** The dynamic activation formats: symmetric integer codes in {@code [-qmax, qmax]}, one scale per tensor or row. */
public enum ActivationScheme {
    /** int8 in [-127, 127], one scale for the whole tensor. */
    INT8_PER_TENSOR(127, false),
    /** int8 in [-127, 127], one scale per row (per token). */
    INT8_PER_ROW(127, true),
    /** int4 in [-7, 7] (kept one code per byte), one scale for the whole tensor. */
    INT4_PER_TENSOR(7, false);

    private final int qmax;
    private final boolean perRow;

    ActivationScheme(int qmax, boolean perRow) {
        this.qmax = qmax;
        this.perRow = perRow;
    }

    /** Largest code magnitude. */
    public int qmax() {
        return qmax;
    }

    public boolean perRow() {
        return perRow;
    }
}
