package dev.quant4j.eval.probe;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.QualityProbe;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The forward-pass {@link QualityProbe}: the calibration text cut into chunks as llama-perplexity cuts it
 * ({@link ChunkPlan}: BOS first, the second half of each chunk scored), the unchanged model's log-probabilities
 * of every scored position computed once and kept in memory, then per measurement the model with the substitutes
 * run over the same chunks and {@code KL(P_base || P_changed)} averaged over the scored positions. Opens the
 * model lazily: a job whose planner never asks costs nothing.
 */
public final class KldProbe implements QualityProbe, AutoCloseable {
    /** Base log-probabilities kept in memory at most (chunks are dropped beyond, with the reason). */
    static final long MAX_BASE_BYTES = 512L << 20;

    private final Path model;
    private final QuantRegistry registry;
    private final String text;
    private final int nCtx;
    private final int maxChunks;
    private final RunOptions options;
    private final String fingerprint;
    private ModelReader reader;
    private int[][] inputs;
    private float[][] baseLogProbs;
    private int vocab;
    private int first;

    /**
     * @param nCtx      tokens per chunk
     * @param maxChunks chunks at most (0: as many as the text and the memory bound allow)
     * @param options   numerics and threads of the forward pass (llama.cpp emulation recommended: the costs are
     *                  then what llama-perplexity will see)
     */
    public KldProbe(Path model, QuantRegistry registry, String text, int nCtx, int maxChunks, RunOptions options) {
        this.model = model;
        this.registry = registry;
        this.text = text;
        this.nCtx = nCtx;
        this.maxChunks = maxChunks;
        this.options = options.withMaxContext(Math.max(options.maxContext(), nCtx));
        this.fingerprint = sha256("kld-probe v1\n" + nCtx + "\n" + maxChunks + "\n" + options.f16Activations()
                + "\n" + options.kvPrecision() + "\n" + text);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    /** Chunks measured (after the first measurement). */
    public synchronized int chunks() {
        return inputs == null ? 0 : inputs.length;
    }

    @Override
    public double meanKld(List<TensorView> substitutes) {
        init();
        try (ModelRunner runner = ModelRunner.open(new SubstitutedReader(reader, substitutes), registry, options)) {
            double sum = 0;
            long n = 0;
            double[] q = new double[vocab];
            for (int k = 0; k < inputs.length; k++) {
                float[] logits = runner.logits(inputs[k]);
                float[] base = baseLogProbs[k];
                for (int pos = first; pos < nCtx - 1; pos++) {
                    logSoftmax(logits, pos * vocab, vocab, q);
                    int b = (pos - first) * vocab;
                    double kl = 0;
                    for (int i = 0; i < vocab; i++) {
                        double lp = base[b + i];
                        kl += Math.exp(lp) * (lp - (float) q[i]); // rounded as the base: unchanged gives 0
                    }
                    sum += Math.max(0, kl);
                    n++;
                }
            }
            return sum / n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void init() {
        if (inputs != null) {
            return;
        }
        try {
            FormatProvider format = registry.formatFor(model).orElseThrow(() -> new QuantException(
                    ErrorCode.UNSUPPORTED_TYPE, model + ": not a model file any installed format reads"));
            reader = format.open(model);
            Tokenizer tok = Tokenizers.fromMetadata(reader.metadata());
            int[] ids = tok.encode(text, true, false);
            ChunkPlan plan = ChunkPlan.of(ids.length, nCtx, maxChunks <= 0 ? -1 : maxChunks);
            int bos = tok.addsBos() ? tok.bos() : -1;
            try (ModelRunner runner = ModelRunner.open(new SubstitutedReader(reader, List.of()), registry, options)) {
                vocab = runner.vocabSize();
                first = plan.first();
                long perChunk = 4L * plan.scoredPerChunk() * vocab;
                int chunks = (int) Math.min(plan.chunks(), Math.max(1, MAX_BASE_BYTES / perChunk));
                int[][] in = new int[chunks][];
                float[][] base = new float[chunks][];
                double[] lp = new double[vocab];
                for (int k = 0; k < chunks; k++) {
                    in[k] = plan.input(ids, k, bos);
                    float[] logits = runner.logits(in[k]);
                    float[] keep = new float[plan.scoredPerChunk() * vocab];
                    for (int pos = first; pos < nCtx - 1; pos++) {
                        logSoftmax(logits, pos * vocab, vocab, lp);
                        for (int i = 0; i < vocab; i++) {
                            keep[(pos - first) * vocab + i] = (float) lp[i];
                        }
                    }
                    base[k] = keep;
                }
                baseLogProbs = base;
                inputs = in;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(model + ": " + e.getMessage(), e);
        }
    }

    /** Log-softmax of {@code logits[offset .. offset+n)} in double. */
    static void logSoftmax(float[] logits, int offset, int n, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        double lse = max + Math.log(sum);
        for (int i = 0; i < n; i++) {
            out[i] = logits[offset + i] - lse;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
