/**
 * Super-weight detection from activation spikes at every {@code ffn_down} (Yu et al. 2024) on calibration text,
 * through the forward pass ({@link dev.quant4j.eval.superweight.ActivationSuperWeights}).
 */
package dev.quant4j.eval.superweight;
