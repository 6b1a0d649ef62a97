package dev.quant4j.cli;

import dev.quant4j.eval.imatrix.ActivationSink;
import dev.quant4j.eval.imatrix.ActivationSource;
import dev.quant4j.eval.metrics.LogitsSource;
import dev.quant4j.eval.tokenizer.Tokenizer;

/**
 * A synthetic model for the evaluation commands: characters are tokens, logits are a hash of the prefix (plus
 * {@code noise} for a "quantized" variant), and two weights report activations (one dense, one MoE).
 */
final class FakeEvalModel implements EvalModel {
    static final int VOCAB = 32;
    private final float noise;
    private final int failAtRun;
    private int runs;

    FakeEvalModel(float noise) {
        this(noise, -1);
    }

    /** A model whose {@code failAtRun}-th activation run (0-based) throws, like a killed process. */
    FakeEvalModel(float noise, int failAtRun) {
        this.noise = noise;
        this.failAtRun = failAtRun;
    }

    static EvalBackend backend(float noise) {
        return (registry, model, threads, f16, streaming) -> new FakeEvalModel(noise);
    }

    static EvalBackend failing(int failAtRun) {
        return (registry, model, threads, f16, streaming) -> new FakeEvalModel(0f, failAtRun);
    }

    @Override
    public Tokenizer tokenizer() {
        return new Tokenizer() {
            @Override
            public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
                int[] t = new int[text.length() + (addSpecial ? 1 : 0)];
                int i = 0;
                if (addSpecial) {
                    t[i++] = 1;
                }
                for (char c : text.toCharArray()) {
                    t[i++] = 2 + c % (VOCAB - 2);
                }
                return t;
            }

            @Override
            public byte[] pieceBytes(int id) {
                return new byte[] {(byte) id};
            }

            @Override
            public int vocabSize() {
                return VOCAB;
            }

            @Override
            public int bos() {
                return 1;
            }

            @Override
            public int eos() {
                return 2;
            }

            @Override
            public boolean addsBos() {
                return true;
            }
        };
    }

    float[] logitsOf(int[] tokens) {
        float[] out = new float[tokens.length * VOCAB];
        long h = 1469598103934665603L;
        for (int i = 0; i < tokens.length; i++) {
            h = (h ^ tokens[i]) * 1099511628211L;
            for (int v = 0; v < VOCAB; v++) {
                long x = (h + v * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
                x ^= x >>> 31;
                long y = (i * 31L + v) * 0x94D049BB133111EBL;
                y ^= y >>> 29;
                out[i * VOCAB + v] = (x & 0xFFFF) / 65536f * 8f - 4f + ((y & 0xFFFF) / 65536f - 0.5f) * noise;
            }
        }
        return out;
    }

    @Override
    public LogitsSource logits() {
        return new LogitsSource() {
            @Override
            public int vocabSize() {
                return VOCAB;
            }

            @Override
            public float[] logits(int[] tokens) {
                return logitsOf(tokens);
            }
        };
    }

    @Override
    public ActivationSource activations() {
        return new ActivationSource() {
            @Override
            public int vocabSize() {
                return VOCAB;
            }

            @Override
            public float[] run(int[] tokens, ActivationSink sink) {
                if (runs++ == failAtRun) {
                    throw new IllegalStateException("killed at run " + failAtRun);
                }
                float[] x = new float[tokens.length * 2];
                int[] ids = new int[tokens.length];
                for (int t = 0; t < tokens.length; t++) {
                    x[2 * t] = tokens[t];
                    x[2 * t + 1] = 1;
                    ids[t] = tokens[t] % 3;
                }
                sink.dense("blk.0.attn_q.weight", x, tokens.length, 2);
                sink.dense("output.weight", x, tokens.length, 2);
                sink.routed("blk.0.ffn_up_exps.weight", 3, x, tokens.length, 1, 2, ids, 1);
                return logitsOf(tokens);
            }
        };
    }

    @Override
    public void close() {
        // nothing to release
    }
}
