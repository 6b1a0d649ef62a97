package dev.quant4j.integer.calib;

/** What a range calibrator clips to when it suggests a scale. */
public enum ClipMethod {
    /** max |x|: no value saturates. */
    MIN_MAX,
    /** the p-quantile of |x|: the top {@code 1 - p} of values saturate. */
    PERCENTILE
}
