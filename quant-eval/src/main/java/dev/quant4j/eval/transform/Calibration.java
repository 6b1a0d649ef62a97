package dev.quant4j.eval.transform;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.util.Arrays;
import java.util.Map;

/**
 * One calibration pass for transforms: the text is tokenized, cut into chunks of {@code ctx} tokens whose first
 * token is replaced by BOS (as llama-imatrix does), and each chunk runs through the model with a
 * {@link ChannelStatsObserver}.
 */
public final class Calibration {
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
        ChannelStatsObserver obs = new ChannelStatsObserver(secondMoments);
        for (int c = 0; c < chunks; c++) {
            int[] chunk = Arrays.copyOfRange(ids, c * ctx, (c + 1) * ctx);
            if (tok.bos() >= 0) {
                chunk[0] = tok.bos();
            }
            model.newSession(obs).append(chunk);
        }
        return obs.stats();
    }
}
