package dev.quant4j.eval.metrics;

/**
 * The negative log-likelihood of a target token under one row of logits, in the two precisions
 * llama-perplexity uses (tools/perplexity/perplexity.cpp): both take the float maximum, sum
 * {@code expf(logit - max)} in double and call {@code log} in double; they differ in what they do next.
 */
final class LogSoftmax {
    private LogSoftmax() {
    }

    /**
     * Plain perplexity: {@code -((logit[tok] - max) - log(sum))}, the subtraction of the float difference
     * and the double logarithm done in double.
     */
    static double nll(float[] logits, int offset, int nVocab, int token) {
        float max = max(logits, offset, nVocab);
        double sum = sumExp(logits, offset, nVocab, max);
        return -((double) (logits[offset + token] - max) - Math.log(sum));
    }

    /**
     * When the base log-probabilities are saved and in KL-divergence runs: the logarithm is rounded to float and
     * {@code max + logSumExp - logit[tok]} is computed in float.
     */
    static float nllFloat(float[] logits, int offset, int nVocab, int token) {
        float max = max(logits, offset, nVocab);
        float logSumExp = (float) Math.log(sumExp(logits, offset, nVocab, max));
        return max + logSumExp - logits[offset + token];
    }

    static float max(float[] logits, int offset, int nVocab) {
        float max = logits[offset];
        for (int i = 1; i < nVocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        return max;
    }

    static float min(float[] logits, int offset, int nVocab) {
        float min = logits[offset];
        for (int i = 1; i < nVocab; i++) {
            min = Math.min(min, logits[offset + i]);
        }
        return min;
    }

    /** Sum in double of the float {@code expf(logit - max)}. */
    static double sumExp(float[] logits, int offset, int nVocab, float max) {
        double sum = 0;
        for (int i = 0; i < nVocab; i++) {
            sum += expf(logits[offset + i] - max);
        }
        return sum;
    }

    /** C's {@code expf}: the double exponential rounded to float (correctly rounded but for rare double-rounding ties). */
    static float expf(float x) {
        return (float) Math.exp(x);
    }
}
