package dev.quant4j.api.tensor;

/** A per-input-channel activation statistic a transform may ask for. */
public enum ChannelStat {
    /** max over calibration tokens of |x_j|. */
    ABS_MAX,
    /** mean over calibration tokens of x_j² (what an imatrix holds). */
    MEAN_SQUARES,
    /** mean over calibration tokens of x xᵀ (the d × d second-moment matrix; AWQ's output-error objective). */
    SECOND_MOMENTS
}
