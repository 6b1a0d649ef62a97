package dev.quant4j.api.spi;

import java.util.Objects;

/**
 * What a decoder-only transformer of the llama family computes, as an {@link ArchitectureProvider} reads it
 * from metadata. Tensor names follow GGUF's conventions ({@code token_embd}, {@code blk.N.attn_q}, ...);
 * the vocabulary size is the row count of {@code token_embd.weight}.
 *
 * @param architecture  the {@code general.architecture} value
 * @param layers        {@code block_count}
 * @param embedding     {@code embedding_length}
 * @param heads         {@code attention.head_count}
 * @param headsKv       {@code attention.head_count_kv} (defaults to heads)
 * @param keyLength     per-head width of q and k ({@code attention.key_length}, default embedding / heads)
 * @param valueLength   per-head width of v ({@code attention.value_length}, default embedding / heads)
 * @param contextLength {@code context_length} (the training context; the K/V cache may be smaller)
 * @param normEps       {@code attention.layer_norm_rms_epsilon}
 * @param rope          rotary position embedding
 * @param qkvBias       q/k/v projections carry {@code .bias} tensors that must be present (qwen2)
 * @param qkNorm        per-head RMSNorm of q and k with {@code attn_q_norm}/{@code attn_k_norm} before RoPE (qwen3)
 * @param experts       mixture of experts in every block's FFN, or {@link Experts#NONE}
 */
public record ArchitectureSpec(String architecture, int layers, int embedding, int heads, int headsKv,
                               int keyLength, int valueLength, int contextLength, float normEps, Rope rope,
                               boolean qkvBias, boolean qkNorm, Experts experts) {
    public ArchitectureSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(rope, "rope");
        Objects.requireNonNull(experts, "experts");
        positive(architecture, "layers", layers);
        positive(architecture, "embedding", embedding);
        positive(architecture, "heads", heads);
        positive(architecture, "headsKv", headsKv);
        positive(architecture, "keyLength", keyLength);
        positive(architecture, "valueLength", valueLength);
        if (heads % headsKv != 0) {
            throw new IllegalArgumentException(architecture + ": head_count " + heads
                    + " is not a multiple of head_count_kv " + headsKv);
        }
        if (rope.dimensions() > keyLength || rope.dimensions() % 2 != 0) {
            throw new IllegalArgumentException(architecture + ": rope dimension count " + rope.dimensions()
                    + " must be even and at most the head width " + keyLength);
        }
    }

    private static void positive(String arch, String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(arch + ": " + what + " must be positive, got " + v);
        }
    }

    /** How pairs of a head's dimensions are rotated. */
    public enum RopeStyle {
        /** ggml's "normal" mode: adjacent pairs {@code (x[2i], x[2i+1])} (llama). */
        NORM,
        /** GPT-NeoX mode: pairs {@code (x[i], x[i + dims/2])} (qwen2, qwen3). */
        NEOX
    }

    /** Context-extension scalings of RoPE frequencies ({@code rope.scaling.type}). */
    public enum RopeScaling {
        NONE, LINEAR, YARN
    }

    /**
     * @param style         pair layout
     * @param dimensions    rotated dimensions per head ({@code rope.dimension_count}, default the head width)
     * @param freqBase      {@code rope.freq_base} (default 10000)
     * @param scaling       {@code rope.scaling.type}
     * @param scaleFactor   {@code rope.scaling.factor} (1 when unscaled): positions are divided by it
     *                      (ignored with {@link RopeScaling#NONE}, as llama.cpp ignores it)
     * @param originalContext {@code rope.scaling.original_context_length} (yarn), 0 when absent: the context
     *                      length then stands in for it
     * @param attnFactor    {@code rope.scaling.attn_factor} (default 1): multiplies every rotated cos/sin
     * @param yarn          the YaRN parameters llama.cpp does not read from metadata for the llama family
     *
     * <p>A {@code rope_freqs.weight} tensor (llama 3.1 scaling), when the model has one, divides each
     * frequency; the engine looks for it by name.
     */
    public record Rope(RopeStyle style, int dimensions, float freqBase, RopeScaling scaling, float scaleFactor,
                       int originalContext, float attnFactor, Yarn yarn) {
        public Rope {
            Objects.requireNonNull(style, "style");
            Objects.requireNonNull(scaling, "scaling");
            Objects.requireNonNull(yarn, "yarn");
            if (!(scaleFactor > 0) || !(freqBase > 0) || !(attnFactor > 0)) {
                throw new IllegalArgumentException("rope freq base " + freqBase + ", scale factor " + scaleFactor
                        + " and attn factor " + attnFactor + " must be positive");
            }
            if (originalContext < 0) {
                throw new IllegalArgumentException("rope original context length " + originalContext + " is negative");
            }
        }

        /** Attention factor 1 and llama.cpp's default YaRN parameters. */
        public Rope(RopeStyle style, int dimensions, float freqBase, RopeScaling scaling, float scaleFactor,
                    int originalContext) {
            this(style, dimensions, freqBase, scaling, scaleFactor, originalContext, 1f, Yarn.DEFAULTS);
        }
    }

    /**
     * YaRN's ramp between interpolated and extrapolated frequencies (llama.cpp's {@code yarn_*} context
     * parameters).
     *
     * @param extFactor weight of extrapolation in the ramp; negative means "1 for yarn scaling, 0 otherwise"
     * @param betaFast  rotations at the context length where the ramp starts (all extrapolation below it)
     * @param betaSlow  rotations where it ends (all interpolation above it)
     */
    public record Yarn(float extFactor, float betaFast, float betaSlow) {
        /** llama.cpp's defaults: automatic extrapolation factor, beta_fast 32, beta_slow 1. */
        public static final Yarn DEFAULTS = new Yarn(-1f, 32f, 1f);

        public Yarn {
            if (!(betaFast > 0) || !(betaSlow > 0)) {
                throw new IllegalArgumentException("yarn beta_fast " + betaFast + " and beta_slow " + betaSlow
                        + " must be positive");
            }
        }
    }

    /**
     * Routing of a mixture-of-experts FFN: router logits from {@code ffn_gate_inp}, softmax over all experts,
     * the top {@code used} by probability, renormalised to sum 1 when {@code normalizeWeights}.
     */
    public record Experts(int count, int used, boolean normalizeWeights) {
        public static final Experts NONE = new Experts(0, 0, false);

        public Experts {
            if (count < 0 || used < 0 || used > count || (count > 0 && used == 0)) {
                throw new IllegalArgumentException("expert_used_count " + used + " of expert_count " + count);
            }
        }

        public boolean present() {
            return count > 0;
        }
    }
}
