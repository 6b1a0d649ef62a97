/**
 * The forward-pass quality probe measuring planners use through quant-api's
 * {@link dev.quant4j.api.spi.QualityProbe}: mean KL divergence of the model with some tensors replaced.
 */
package dev.quant4j.eval.probe;
