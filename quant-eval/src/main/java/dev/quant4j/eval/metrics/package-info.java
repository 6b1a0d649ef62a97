/**
 * llama-perplexity's measurements: perplexity with its chunking and error estimate, the
 * {@code --kl-divergence-base} file, and the KL-divergence statistics, computed and printed as llama.cpp does.
 * The model is reached through {@link dev.quant4j.eval.metrics.LogitsSource}. See docs/evaluation.md.
 */
package dev.quant4j.eval.metrics;
