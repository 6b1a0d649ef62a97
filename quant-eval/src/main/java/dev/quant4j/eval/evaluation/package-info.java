/**
 * The forward pass connected to the measurements: {@link dev.quant4j.eval.evaluation.EvaluationModel} opens a GGUF
 * file once and serves perplexity/KLD ({@code LogitsSource}), imatrix ({@code ActivationSource}) and its tokenizer,
 * so an application computes every metric through quant-eval alone.
 */
package dev.quant4j.eval.evaluation;
