/**
 * The {@code llama-cpp} planner: per-tensor type choices, refusals and output metadata of llama.cpp's
 * llama-quantize. Entry point {@link dev.quant4j.gguf.plan.LlamaCppPlannerProvider}.
 */
package dev.quant4j.gguf.plan;
