package dev.quant4j.eval.metrics;

import java.nio.ByteBuffer;

/**
 * llama-perplexity's 16-bit compression of one row of log-probabilities (perplexity.cpp, the {@code log_softmax}
 * that fills a {@code uint16_t *}). A row is {@code rowShorts(nVocab)} little-endian uint16 words: a float32
 * {@code scale}, a float32 {@code minLogProb}, then {@code nVocab} codes (padded to an even count with 0). With
 * {@code max}/{@code min} the row's largest/smallest logit and {@code min} raised to at least {@code max - 16}:
 * {@code scale = (max - min) / 65535}, {@code minLogProb = min - max - log(sum exp(logit - max))}, and code i =
 * {@code round((logit_i - min) / scale)} for logits above {@code min}, else 0. Decoded:
 * {@code logProb_i = scale * code_i + minLogProb}, so everything more than 16 nats below the top token collapses
 * onto {@code minLogProb}.
 */
final class CompressedLogProbs {
    private CompressedLogProbs() {
    }

    /** uint16 words per row: 4 for the two floats, then the codes rounded up to an even count. */
    static int rowShorts(int nVocab) {
        return 2 * ((nVocab + 1) / 2) + 4;
    }

    static long rowBytes(int nVocab) {
        return 2L * rowShorts(nVocab);
    }

    /**
     * Encodes row {@code offset / nVocab} of {@code logits} into {@code dst} (little-endian, {@link #rowBytes}
     * bytes from its position) and returns the target's NLL as llama.cpp computes it on this path, in float:
     * {@code max + (float) log(sum) - logit[token]}.
     */
    static float encode(float[] logits, int offset, int nVocab, int token, ByteBuffer dst) {
        float max = LogSoftmax.max(logits, offset, nVocab);
        float min = Math.max(LogSoftmax.min(logits, offset, nVocab), max - 16);
        float logSumExp = (float) Math.log(LogSoftmax.sumExp(logits, offset, nVocab, max));
        float minLogProb = min - max - logSumExp;
        float scale = (max - min) / 65535f;
        dst.putFloat(scale);
        dst.putFloat(minLogProb);
        if (scale != 0) {
            float inv = 1 / scale;
            for (int i = 0; i < nVocab; i++) {
                float l = logits[offset + i];
                dst.putShort(l > min ? (short) nearestInt(inv * (l - min)) : 0);
            }
        } else {
            for (int i = 0; i < nVocab; i++) {
                dst.putShort((short) 0);
            }
        }
        if ((nVocab & 1) != 0) {
            dst.putShort((short) 0);
        }
        return max + logSumExp - logits[offset + token];
    }

    /**
     * llama.cpp's {@code nearest_int}: adding 1.5 * 2^23 makes the float unit round to an integer (half to even)
     * and leaves it in the low mantissa bits. Valid for |x| < 2^22, which codes (at most 65535) are.
     */
    static int nearestInt(float x) {
        float v = x + 12582912f;
        return (Float.floatToRawIntBits(v) & 0x007fffff) - 0x00400000;
    }

    /** The decoded log-probability of code {@code code} (read as unsigned) in float, {@code scale * code + min}. */
    static float decode(float scale, float minLogProb, short code) {
        return scale * (code & 0xFFFF) + minLogProb;
    }
}
