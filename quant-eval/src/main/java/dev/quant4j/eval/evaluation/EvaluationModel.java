package dev.quant4j.eval.evaluation;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.eval.imatrix.ActivationSink;
import dev.quant4j.eval.imatrix.ActivationSource;
import dev.quant4j.eval.metrics.LogitsSource;
import dev.quant4j.eval.model.ActivationObserver;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A model opened for measurement: its tokenizer (from the file's metadata), the logits of independent chunks
 * (perplexity, KL divergence) and the forward pass reporting every matmul input (imatrix).
 *
 * <pre>{@code
 * try (EvaluationModel m = EvaluationModel.open(Path.of("model.gguf"), registry, RunOptions.defaults())) {
 *     int[] tokens = m.tokenizer().encode(text, true, false);
 *     PerplexityResult r = new PerplexityRun(ChunkPlan.of(tokens.length, 512, -1), m.chunkBos(), ChunkListener.NONE)
 *             .run(tokens, m, null);
 * }
 * }</pre>
 */
public final class EvaluationModel implements LogitsSource, ActivationSource, AutoCloseable {
    private final ModelRunner runner;
    private final Tokenizer tokenizer;
    private final boolean layerStreaming;

    private EvaluationModel(ModelRunner runner, Tokenizer tokenizer, boolean layerStreaming) {
        this.runner = runner;
        this.tokenizer = tokenizer;
        this.layerStreaming = layerStreaming;
    }

    /** Opens {@code file} (architecture and shapes checked) and builds its tokenizer from the metadata. */
    public static EvaluationModel open(Path file, QuantRegistry registry, RunOptions options) throws IOException {
        return open(file, registry, options, LayerStreaming.AUTO);
    }

    /**
     * As {@link #open(Path, QuantRegistry, RunOptions)}, choosing whether chunks are run layer by layer
     * ({@link LayerStreaming#AUTO}: when the model file is larger than the memory available).
     */
    public static EvaluationModel open(Path file, QuantRegistry registry, RunOptions options, LayerStreaming streaming)
            throws IOException {
        ModelRunner runner = ModelRunner.open(file, registry, options);
        try {
            return new EvaluationModel(runner, Tokenizers.fromMetadata(runner.metadata()), streaming.on(file));
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    /**
     * Whether {@link #logits(List, int, ChunkLogits)} and {@link #run(List, int, ActivationSink, ChunkLogits)} run all
     * chunks through each layer before the next.
     */
    @Override
    public boolean layerStreaming() {
        return layerStreaming;
    }

    public ModelRunner runner() {
        return runner;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** BOS put first in every chunk: the vocabulary's BOS when it adds one, else -1 (llama.cpp's add_bos rule). */
    public int chunkBos() {
        return tokenizer.addsBos() ? tokenizer.bos() : -1;
    }

    @Override
    public int vocabSize() {
        return runner.vocabSize();
    }

    /** One chunk from position 0 with a fresh K/V cache, as llama-perplexity clears its cache per chunk. */
    @Override
    public float[] logits(int[] tokens) {
        return runner.logits(tokens);
    }

    /** All chunks at once when layer streaming, else llama.cpp's {@code n_batch / n_ctx} (2048 tokens per batch). */
    @Override
    public int chunksPerCall(int nCtx, int chunks) {
        return layerStreaming ? chunks : Math.max(1, ModelRunner.BATCH_TOKENS / nCtx);
    }

    @Override
    public void logits(List<int[]> chunks, int firstRow, ChunkLogits sink) {
        runner.logits(chunks, firstRow, layerStreaming,
                (int i, float[] logits, int offset, int length) -> sink.accept(i, logits, offset, length));
    }

    @Override
    public float[] run(int[] tokens, ActivationSink sink) {
        return runner.newSession(observerFor(sink, runner.spec())).append(tokens);
    }

    /** All chunks at once when layer streaming, else as many as share one batch ({@link #chunksPerCall}). */
    @Override
    public int sequencesPerCall(int nCtx, int chunks) {
        return chunksPerCall(nCtx, chunks);
    }

    /**
     * Batches of {@link ModelRunner#BATCH_TOKENS} tokens (chunks that fit one 512-token micro-batch share every
     * matmul, as llama-imatrix's {@code n_seq} chunks do; longer ones run one by one in micro-batches), or all
     * sequences through each block before the next when layer streaming; the output matrix only for rows
     * {@code firstRow ..}. The logits reach {@code logits} where the output product put them
     * ({@link ChunkLogits#accept(int, float[], int, int)}: valid during the call only).
     */
    @Override
    public void run(List<int[]> sequences, int firstRow, ActivationSink sink, ChunkLogits logits) {
        runner.logits(sequences, firstRow, layerStreaming, observerFor(sink, runner.spec()),
                (int i, float[] rows, int offset, int length) -> logits.accept(i, rows, offset, length));
    }

    /**
     * Translates the forward pass's observations into llama-imatrix's two kinds of matmul: dense weights as they
     * are; an expert's slice ({@code expert >= 0}, only the tokens routed to it, the gated input for
     * {@code ffn_down_exps}) as a routed matmul whose every row went to that expert, so each routed token counts
     * once for its expert. Sequences may share a batch: both kinds are summed row by row per column, in order.
     */
    static ActivationObserver observerFor(ActivationSink sink, ArchitectureSpec spec) {
        int experts = spec.experts().count();
        return new ActivationObserver() {
            @Override
            public void observe(String weight, int expert, float[] rows, int tokens, int width) {
                if (expert < 0) {
                    sink.dense(weight, rows, tokens, width);
                } else {
                    int[] ids = new int[tokens];
                    Arrays.fill(ids, expert);
                    sink.routed(weight, experts, rows, tokens, 1, width, ids, 1);
                }
            }

            @Override
            public boolean observes(String weight) {
                return sink.collects(weight);
            }

            @Override
            public boolean acceptsSequenceBatches() {
                return true;
            }
        };
    }

    @Override
    public void close() throws IOException {
        runner.close();
    }
}
