package dev.quant4j.eval.metrics;

/** Deterministic fake logits that depend on the whole prefix, like a causal model's. */
final class Synthetic {
    private Synthetic() {
    }

    /** Row i = f(tokens 0..i) + noise * g(i); different {@code noise} gives a "quantized" variant of the same model. */
    static float[] logits(int[] tokens, int nVocab, float noise) {
        float[] out = new float[tokens.length * nVocab];
        long h = 1469598103934665603L;
        for (int i = 0; i < tokens.length; i++) {
            h = (h ^ tokens[i]) * 1099511628211L;
            for (int v = 0; v < nVocab; v++) {
                long x = (h + v * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
                x ^= x >>> 31;
                float base = (x & 0xFFFF) / 65536f * 8f - 4f;
                long y = (i * 31L + v) * 0x94D049BB133111EBL;
                y ^= y >>> 29;
                float jitter = ((y & 0xFFFF) / 65536f - 0.5f) * noise;
                out[i * nVocab + v] = base + jitter;
            }
        }
        return out;
    }
}
