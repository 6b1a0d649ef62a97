package dev.quant4j.eval.arch;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ArchitectureSpec;
import dev.quant4j.api.spi.ArchitectureSpec.Experts;
import dev.quant4j.api.spi.ArchitectureSpec.Rope;
import dev.quant4j.api.spi.ArchitectureSpec.RopeScaling;
import dev.quant4j.api.spi.ArchitectureSpec.RopeStyle;
import dev.quant4j.api.spi.ArchitectureSpec.Yarn;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the {@code ARCH.*} hyperparameter keys with llama.cpp's defaults (src/llama-model.cpp load_hparams):
 * head_count_kv defaults to head_count, key/value length to embedding / heads, rope.dimension_count to the key
 * length, rope.freq_base to 10000, rope.scaling.type to linear with factor {@code rope.scaling.factor} (or the
 * older {@code rope.scale_linear}), rope.scaling.attn_factor to 1. Like llama.cpp for these architectures, the
 * {@code rope.scaling.yarn_*} keys are not read: YaRN runs with its defaults (beta_fast 32, beta_slow 1).
 */
public final class Hyperparameters {
    private final Metadata metadata;
    private final String arch;

    public Hyperparameters(Metadata metadata, String arch) {
        this.metadata = metadata;
        this.arch = arch;
    }

    /** The spec of a llama-family model; FFN and expert widths come from the tensor shapes. */
    public ArchitectureSpec spec(RopeStyle style, boolean qkvBias, boolean qkNorm) {
        int embd = required("embedding_length");
        int heads = required("attention.head_count");
        int headsKv = optional("attention.head_count_kv").orElse(heads);
        if (embd % heads != 0 && optional("attention.key_length").isEmpty()) {
            throw invalid("embedding_length " + embd + " is not a multiple of attention.head_count " + heads);
        }
        int keyLength = optional("attention.key_length").orElse(embd / heads);
        int valueLength = optional("attention.value_length").orElse(embd / heads);
        float eps = real("attention.layer_norm_rms_epsilon")
                .orElseThrow(() -> missing("attention.layer_norm_rms_epsilon")).floatValue();
        Rope rope = new Rope(style, optional("rope.dimension_count").orElse(keyLength),
                real("rope.freq_base").orElse(10000.0).floatValue(), scaling(), scaleFactor(),
                optional("rope.scaling.original_context_length").orElse(0),
                real("rope.scaling.attn_factor").orElse(1.0).floatValue(), Yarn.DEFAULTS);
        int experts = optional("expert_count").orElse(0);
        int used = optional("expert_used_count").orElse(0);
        if (experts > 0 && used == 0) {
            throw invalid("metadata key '" + arch + ".expert_used_count' is missing or 0 while " + arch
                    + ".expert_count is " + experts);
        }
        try {
            return new ArchitectureSpec(arch, required("block_count"), embd, heads, headsKv, keyLength, valueLength,
                    required("context_length"), eps, rope, qkvBias, qkNorm,
                    experts == 0 ? Experts.NONE : new Experts(experts, used, true));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private RopeScaling scaling() {
        String type = metadata.getString(arch + ".rope.scaling.type").orElse("linear");
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "none" -> RopeScaling.NONE;
            case "linear" -> RopeScaling.LINEAR;
            case "yarn" -> RopeScaling.YARN;
            default -> throw invalid("rope.scaling.type '" + type + "' is not supported (none, linear, yarn)");
        };
    }

    private float scaleFactor() {
        double f = real("rope.scaling.factor").or(() -> real("rope.scale_linear")).orElse(0.0);
        return f == 0 ? 1f : (float) f;
    }

    private int required(String key) {
        return optional(key).orElseThrow(() -> missing(key));
    }

    private Optional<Integer> optional(String key) {
        Optional<MetaValue> v = metadata.get(arch + "." + key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof MetaValue.Int i) {
            return Optional.of(Math.toIntExact(i.value()));
        }
        throw invalid(key + " is a " + v.get().type() + ", expected an integer"
                + (v.get() instanceof MetaValue.Array ? " (per-layer arrays are not supported)" : ""));
    }

    private Optional<Double> real(String key) {
        Optional<MetaValue> v = metadata.get(arch + "." + key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof MetaValue.Real r) {
            return Optional.of(r.value());
        }
        throw invalid(key + " is a " + v.get().type() + ", expected a float");
    }

    private QuantException missing(String key) {
        return invalid("metadata key '" + arch + "." + key + "' is missing");
    }

    private QuantException invalid(String message) {
        return new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "architecture '" + arch + "': " + message);
    }
}
