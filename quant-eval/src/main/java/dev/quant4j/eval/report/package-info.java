/**
 * The quality report of a quantized model against its original ({@link dev.quant4j.eval.report.QualityRun},
 * {@link dev.quant4j.eval.report.QualityReport}), rendered as text and Markdown by
 * {@link dev.quant4j.eval.report.QualityText}.
 */
package dev.quant4j.eval.report;
