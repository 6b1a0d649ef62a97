package dev.quant4j.eval.model;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.kernels.MatTile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model opened for evaluation: weights stay in the model file (mapped; the matmuls read their tiles from the file
 * into reused buffers, never the whole model onto the heap), the architecture comes from the registry's
 * {@code architecture} providers by {@code general.architecture}. Open once, then run batches
 * ({@link #logits}) or {@link #newSession sessions} for incremental decoding, optionally with an
 * {@link ActivationObserver} for calibration.
 *
 * <pre>{@code
 * try (ModelRunner model = ModelRunner.open(Path.of("model.gguf"), registry, RunOptions.defaults())) {
 *     float[] logits = model.logits(ids);               // [ids.length][model.vocabSize()]
 *     Session s = model.newSession(ActivationObserver.of(calibrator));
 *     float[] next = s.appendForNext(prompt);           // then s.appendForNext(token) per generated token
 * }
 * }</pre>
 */
public final class ModelRunner implements AutoCloseable {
    private final ModelReader reader;
    private final Transformer model;
    private final RunOptions options;
    private final Parallel parallel;
    private final MatMul mm;
    private final Weights weights;

    private ModelRunner(ModelReader reader, Weights weights, Transformer model, RunOptions options) {
        this.reader = reader;
        this.weights = weights;
        this.model = model;
        this.options = options;
        this.parallel = new Parallel(options.threads());
        this.mm = new MatMul(parallel, MatTile.create(), options.f16Activations(), options.int8Activations());
        // the JIT compiles the kernels while the caller tokenizes its text, not during the first batch
        KernelWarmUp.start();
    }

    /**
     * Opens {@code file} with the installed format that reads it and checks the architecture and every tensor
     * shape before returning.
     *
     * @throws QuantException UNKNOWN_NAME for an architecture no provider supports (naming the supported ones),
     *                        UNSUPPORTED_SHAPE for missing tensors/keys or wrong shapes
     */
    public static ModelRunner open(Path file, QuantRegistry registry, RunOptions options) throws IOException {
        if (!Files.exists(file)) { // a file, or a directory a format opens (a Hugging Face checkpoint)
            throw new QuantException(ErrorCode.IO, file + ": no such file");
        }
        FormatProvider format = registry.formatFor(file).orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_TYPE, file + ": not a model file any installed format reads (formats: "
                + registry.names(ProviderKind.FORMAT) + ")"));
        ModelReader reader = format.open(file);
        KernelWarmUp.weights(reader.tensors()); // as soon as known: the warm-up waits for them
        try {
            ArchitectureSpec spec = describe(file, reader.metadata(), registry);
            Weights weights = new Weights(reader, registry);
            return new ModelRunner(reader, weights, new Transformer(spec, weights), options);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Runs over an already open {@code reader} (e.g. one that substitutes some tensors); closing the runner
     * closes it.
     */
    public static ModelRunner open(ModelReader reader, QuantRegistry registry, RunOptions options) {
        KernelWarmUp.weights(reader.tensors());
        ArchitectureSpec spec = describe(reader.path(), reader.metadata(), registry);
        Weights weights = new Weights(reader, registry);
        return new ModelRunner(reader, weights, new Transformer(spec, weights), options);
    }

    private static ArchitectureSpec describe(Path file, Metadata metadata, QuantRegistry registry) {
        String arch = metadata.getString("general.architecture").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, file + ": metadata key 'general.architecture' is missing"));
        if (registry.find(ProviderKind.ARCHITECTURE, arch).isEmpty()) {
            throw new QuantException(ErrorCode.UNKNOWN_NAME, file + ": architecture '" + arch
                    + "' is not supported; supported architectures: "
                    + String.join(", ", registry.names(ProviderKind.ARCHITECTURE)));
        }
        return registry.architecture(arch).describe(metadata);
    }

    public Path path() {
        return reader.path();
    }

    /** All metadata of the file, including the {@code tokenizer.ggml.*} keys a tokenizer is built from. */
    public Metadata metadata() {
        return reader.metadata();
    }

    /** The hyperparameters and building blocks the architecture provider read. */
    public ArchitectureSpec spec() {
        return model.spec();
    }

    /** Logit row width: the rows of {@code token_embd.weight}. */
    public int vocabSize() {
        return model.vocabSize();
    }

    /** The model's training context length. */
    public int contextLength() {
        return model.spec().contextLength();
    }

    public RunOptions options() {
        return options;
    }

    /** The file's tensors, in file order. */
    public List<TensorInfo> tensors() {
        return reader.tensors();
    }

    /**
     * Decodes rows {@code [first, first + count)} of any tensor (rows of its row length; a 3-D tensor's experts one
     * after another) into {@code dst}, through the registry's dequantizer for its type.
     */
    public void readRows(String tensor, int first, int count, float[] dst) {
        weights.rows(tensor).read(first, count, dst);
    }

    /** A fresh sequence at position 0. */
    public Session newSession() {
        return newSession(ActivationObserver.NONE);
    }

    /** A fresh sequence at position 0 whose matmul inputs go to {@code observer}. */
    public Session newSession(ActivationObserver observer) {
        return new Session(model, mm, newCache(), options.f16Activations(), observer);
    }

    private KvCache newCache() {
        ArchitectureSpec s = model.spec();
        int limit = options.maxContext() > 0 ? options.maxContext() : s.contextLength();
        return new KvCache(s.layers(), s.headsKv() * s.keyLength(), s.headsKv() * s.valueLength(), limit,
                options.kvPrecision());
    }

    /**
     * Tokens per batch of {@link #logits(List, int, boolean, SequenceLogits)}: llama.cpp's default n_batch, so
     * {@code 2048 / n_ctx} chunks of llama-perplexity share each weight decode as they do there.
     */
    public static final int BATCH_TOKENS = 2048;

    /** Receives the logits of one sequence. */
    public interface SequenceLogits {
        /**
         * @param sequence index in the list given
         * @param logits   rows {@code firstRow ..} of that sequence, row-major {@code [rows][vocabSize()]}
         */
        void accept(int sequence, float[] logits);
    }

    /**
     * Receives the logits of one sequence where they were computed, without a copy: valid only during the call (the
     * array is reused for the next sequences and calls).
     */
    public interface LogitRows {
        /**
         * @param sequence index in the list given
         * @param logits   holds rows {@code firstRow ..} of that sequence, row-major {@code [rows][vocabSize()]},
         *                 as {@code length} floats from {@code offset}
         */
        void accept(int sequence, float[] logits, int offset, int length);
    }

    /**
     * Logits of independent sequences (each from position 0 with a fresh K/V cache, as llama-perplexity runs its
     * chunks), rows {@code firstRow ..} of each, handed to {@code sink} in order. Sequences are batched up to
     * {@link #BATCH_TOKENS} tokens. {@code layerStreaming}: all sequences go through a block before the next
     * block is touched, so each weight is read from the file once per call however many sequences there are
     * (the activations of all of them are held on the heap); same results as without.
     */
    public void logits(List<int[]> sequences, int firstRow, boolean layerStreaming, SequenceLogits sink) {
        logits(sequences, firstRow, layerStreaming, ActivationObserver.NONE, sink);
    }

    /**
     * {@link #logits(List, int, boolean, SequenceLogits)} handing each sequence's rows where the batch's output
     * product put them (no array per sequence; one array reused across batches and calls), for a sink that is done
     * with them when its call returns. The same values.
     */
    public void logits(List<int[]> sequences, int firstRow, boolean layerStreaming, LogitRows sink) {
        logits(sequences, firstRow, layerStreaming, ActivationObserver.NONE, sink);
    }

    /**
     * As {@link #logits(List, int, boolean, SequenceLogits)}, reporting every matmul input to {@code observer}
     * exactly as a {@link Session} per sequence would (each sequence a batch of its own, in micro-batches of 512
     * tokens; the same arithmetic, so the same bits), or, when the observer
     * {@link ActivationObserver#acceptsSequenceBatches accepts it} and every sequence fits one micro-batch, in the
     * shared batches of an unobserved run: for every weight the sequences in order, so statistics summed per
     * column equal those of running the sequences one by one. The output matrix sees rows {@code firstRow ..} only. With {@code layerStreaming} every weight is
     * still read once per call.
     */
    public void logits(List<int[]> sequences, int firstRow, boolean layerStreaming, ActivationObserver observer,
                       SequenceLogits sink) {
        model.forwardSequences(sequences, BATCH_TOKENS, layerStreaming, options.residualBytes(), firstRow,
                this::newCache, mm, options.f16Activations(), observer, false,
                (s, logits, offset, length) -> sink.accept(s, offset == 0 && length == logits.length ? logits
                        : java.util.Arrays.copyOfRange(logits, offset, offset + length)));
    }

    /**
     * {@link #logits(List, int, boolean, ActivationObserver, SequenceLogits)} handing each sequence's rows where the
     * output product put them (as {@link #logits(List, int, boolean, LogitRows)}: valid during the call only). The
     * same values, and the observer sees the same matmuls.
     */
    public void logits(List<int[]> sequences, int firstRow, boolean layerStreaming, ActivationObserver observer,
                       LogitRows sink) {
        model.forwardSequences(sequences, BATCH_TOKENS, layerStreaming, options.residualBytes(), firstRow,
                this::newCache, mm, options.f16Activations(), observer, true, sink);
    }

    /** Runs {@code tokens} from position 0 as one batch: logits of every position, {@code [tokens.length][vocab]}. */
    public float[] logits(int... tokens) {
        return newSession().append(tokens);
    }

    @Override
    public void close() throws IOException {
        parallel.close();
        try (reader) {
            weights.close();
        }
    }
}
