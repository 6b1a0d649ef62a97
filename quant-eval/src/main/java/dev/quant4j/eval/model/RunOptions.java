package dev.quant4j.eval.model;

/**
 * How a {@link ModelRunner} computes.
 *
 * @param threads        worker threads for matmuls and attention (1 = the calling thread only)
 * @param kvPrecision    what the K/V cache keeps: exact floats, or values rounded to F16 as llama.cpp's default
 *                       cache stores them
 * @param f16Activations convert activations as ggml's CPU matmul does before its dot products (F16 for F16
 *                       weights, Q8_0 for Q4_0/Q5_0/Q8_0-family weights, Q8_K for K-/IQ-/TQ-quants) and round q
 *                       before the attention scores as flash attention does (llama.cpp emulation)
 * @param maxContext     largest number of positions a session may hold; 0 = the model's context length
 * @param residualBudget bytes of residual activations layer streaming keeps on the heap (all chunks × n_ctx ×
 *                       n_embd × 4); above it they live in a memory-mapped temporary file and only the batch being
 *                       computed is on the heap. 0 or less = a quarter of the maximum heap.
 * @param int8Activations simulate dynamic per-token int8 activations at every layer Linear ({@code blk.*}
 *                       weights; not the output head), as vLLM runs a compressed-tensors W8A8 model: each token's
 *                       input row is quantized symmetrically with scale max|x|/127 and dequantized before the
 *                       product ({@link Int8Activations})
 */
public record RunOptions(int threads, KvPrecision kvPrecision, boolean f16Activations, int maxContext,
                         long residualBudget, boolean int8Activations) {
    public RunOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (maxContext < 0) {
            throw new IllegalArgumentException("maxContext must be 0 (the model's) or positive, got " + maxContext);
        }
        if (kvPrecision == null) {
            throw new IllegalArgumentException("kvPrecision is null");
        }
    }

    /** Exact float arithmetic (F32 K/V cache) with one thread per available processor. */
    public static RunOptions defaults() {
        return new RunOptions(Runtime.getRuntime().availableProcessors(), KvPrecision.F32, false, 0, 0, false);
    }

    /** llama.cpp's defaults: F16 K/V cache and F16-rounded activations in F16 matmuls. */
    public static RunOptions llamaCppEmulation() {
        return defaults().withKvPrecision(KvPrecision.F16).withF16Activations(true);
    }

    public RunOptions withThreads(int n) {
        return new RunOptions(n, kvPrecision, f16Activations, maxContext, residualBudget, int8Activations);
    }

    public RunOptions withKvPrecision(KvPrecision p) {
        return new RunOptions(threads, p, f16Activations, maxContext, residualBudget, int8Activations);
    }

    public RunOptions withF16Activations(boolean on) {
        return new RunOptions(threads, kvPrecision, on, maxContext, residualBudget, int8Activations);
    }

    public RunOptions withInt8Activations(boolean on) {
        return new RunOptions(threads, kvPrecision, f16Activations, maxContext, residualBudget, on);
    }

    public RunOptions withMaxContext(int n) {
        return new RunOptions(threads, kvPrecision, f16Activations, n, residualBudget, int8Activations);
    }

    /** Layer streaming's residual activations above {@code bytes} go to a temporary file (0: a quarter of the heap). */
    public RunOptions withResidualBudget(long bytes) {
        return new RunOptions(threads, kvPrecision, f16Activations, maxContext, bytes, int8Activations);
    }

    /** {@link #residualBudget} resolved: the given bytes, or a quarter of the maximum heap. */
    long residualBytes() {
        return residualBudget > 0 ? residualBudget : Runtime.getRuntime().maxMemory() / 4;
    }
}
