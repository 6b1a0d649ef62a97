package dev.quant4j.eval.transform;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.eval.model.CalibrationPasses;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calibration for transforms: the text is tokenized, cut into chunks of {@code ctx} tokens whose first
 * token is replaced by BOS (as llama-imatrix does), and each chunk runs through the model with a
 * {@link ChannelStatsObserver}: in one pass into memory ({@link #collect}), or in as many passes as a memory budget
 * calls for into a {@link ChannelStatsFile} ({@link #toFile}).
 */
public final class Calibration {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Calibration.class);

    private Calibration() {
    }

    /**
     * @param maxChunks at most this many chunks; 0 or negative for all
     */
    public static Map<String, ChannelStats> collect(ModelRunner model, String text, int ctx, int maxChunks) {
        return collect(model, text, ctx, maxChunks, false);
    }

    /**
     * @param maxChunks     at most this many chunks; 0 or negative for all
     * @param secondMoments also collect every weight input's mean x xᵀ
     */
    public static Map<String, ChannelStats> collect(ModelRunner model, String text, int ctx, int maxChunks,
                                                    boolean secondMoments) {
        int[][] chunks = chunks(model, text, ctx, maxChunks);
        ChannelStatsObserver obs = new ChannelStatsObserver(secondMoments);
        for (int[] chunk : chunks) {
            model.newSession(obs).append(chunk);
        }
        return obs.stats();
    }

    /**
     * Collects the statistics into {@code out} (written as {@code out.tmp}, renamed when complete) in passes whose
     * accumulators take at most {@code budget} bytes each ({@link #passes}): one forward pass over the chunks per
     * pass, each pass's statistics written one input at a time and freed before the next pass.
     *
     * @param maxChunks at most this many chunks; 0 or negative for all
     * @return the passes run
     * @throws QuantException INVALID_OPTION naming the input whose statistics alone exceed the budget
     */
    public static List<CalibrationPasses.Pass> toFile(ModelRunner model, String text, int ctx, int maxChunks,
                                                      boolean secondMoments, long budget, Path out) throws IOException {
        List<CalibrationPasses.Pass> passes = passes(model.tensors(), secondMoments, budget);
        int[][] chunks = chunks(model, text, ctx, maxChunks);
        if (passes.size() > 1) {
            LOG.info("calibration: {} passes over {} chunks, statistics of at most {} MiB each", passes.size(),
                    chunks.length, CalibrationPasses.mib(budget));
        }
        HessianFile.Header header = new HessianFile.Header(HessianFile.sha256(model.path()), sha256(text), ctx,
                chunks.length, (long) chunks.length * ctx);
        try (ChannelStatsFile.Writer w = new ChannelStatsFile.Writer(out, header, secondMoments)) {
            for (CalibrationPasses.Pass p : passes) {
                ChannelStatsObserver obs = new ChannelStatsObserver(secondMoments, true, p.weights());
                for (int[] chunk : chunks) {
                    model.newSession(obs).append(chunk);
                }
                try {
                    obs.forEachInput((weights, st) -> {
                        try {
                            w.add(weights.stream().map(ChannelStats::weightOf).toList(),
                                    ChannelStats.expertOf(weights.getFirst()), st);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            w.commit();
        }
        return passes;
    }

    /**
     * The passes for the statistics of {@code tensors}: one unit per input (the weights that share it together),
     * holding per column a float max and a double sum of squares, plus columns² doubles of second moments.
     */
    public static List<CalibrationPasses.Pass> passes(List<TensorInfo> tensors, boolean secondMoments, long budget) {
        Map<String, List<String>> readers = new LinkedHashMap<>();
        Map<String, Long> cols = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            if (!t.name().endsWith(".weight") || t.shape().rank() < 2 || t.shape().rank() > 3) {
                continue;
            }
            // a 3-D *_exps weight has statistics per expert (the tokens routed to it), under weight#e
            int experts = t.shape().rank() == 3 ? Math.toIntExact(t.shape().ne(2)) : 0;
            for (int e = experts == 0 ? -1 : 0; e < experts; e++) {
                String weight = e < 0 ? t.name() : ChannelStats.expertKey(t.name(), e);
                String key = ChannelStatsObserver.sharedInput(weight);
                readers.computeIfAbsent(key, k -> new ArrayList<>()).add(weight);
                cols.putIfAbsent(key, t.shape().rowLength());
            }
        }
        List<CalibrationPasses.Unit> units = new ArrayList<>();
        readers.forEach((key, weights) -> {
            long n = cols.get(key);
            units.add(new CalibrationPasses.Unit(weights, n * 12 + (secondMoments ? n * n * 8 : 0)));
        });
        return CalibrationPasses.plan(units, budget, (u, limit) -> "calibration statistics of '"
                + u.weights().getFirst() + "'" + (u.weights().size() > 1 ? " (and the weights sharing its input)" : "")
                + " alone need " + CalibrationPasses.mib(u.bytes()) + " MiB (" + cols.get(
                ChannelStatsObserver.sharedInput(u.weights().getFirst())) + "² × 8 bytes of second moments), more than"
                + " the calibration memory limit of " + limit + " MiB; raise --calibration-memory");
    }

    /** The calibration chunks: {@code ctx} tokens each, the first replaced by BOS. */
    private static int[][] chunks(ModelRunner model, String text, int ctx, int maxChunks) {
        if (ctx < 2) {
            throw new IllegalArgumentException("calibration context must be at least 2 tokens, got " + ctx);
        }
        Tokenizer tok = Tokenizers.fromMetadata(model.metadata());
        int[] ids = tok.encode(text, true, false);
        int chunks = ids.length / ctx;
        if (maxChunks > 0) {
            chunks = Math.min(chunks, maxChunks);
        }
        if (chunks == 0) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "calibration text has " + ids.length
                    + " tokens, fewer than one chunk of " + ctx);
        }
        int[][] out = new int[chunks][];
        for (int c = 0; c < chunks; c++) {
            out[c] = Arrays.copyOfRange(ids, c * ctx, (c + 1) * ctx);
            if (tok.bos() >= 0) {
                out[c][0] = tok.bos();
            }
        }
        return out;
    }

    /** SHA-256 of the calibration text's UTF-8 bytes (the statistics file's text hash). */
    public static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
