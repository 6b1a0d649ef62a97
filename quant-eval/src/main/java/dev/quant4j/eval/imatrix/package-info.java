/**
 * llama-imatrix's importance matrices: accumulation of squared activations per weight (per expert for MoE), and
 * the GGUF and legacy {@code .dat} files, read, combined and written exactly as llama-imatrix does. See
 * docs/evaluation.md.
 */
package dev.quant4j.eval.imatrix;
