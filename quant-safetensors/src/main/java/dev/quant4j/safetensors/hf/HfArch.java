package dev.quant4j.safetensors.hf;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The Hugging Face architectures the HF → GGUF view converts, and where convert_hf_to_gguf.py's model classes differ
 * for them: {@code LlamaModel} (llama, Mixtral-style MoE) permutes Q/K rows for llama.cpp's RoPE and writes
 * vocab_size and rope.dimension_count; {@code Qwen2Model}/{@code Qwen3Model} (NEOX RoPE) keep HF's row order;
 * {@code Qwen2MoeModel}/{@code Qwen3MoeModel} add the expert widths (and Qwen2-MoE's shared expert).
 */
enum HfArch {
    LLAMA("llama", Set.of("LlamaForCausalLM", "MixtralForCausalLM")),
    QWEN2("qwen2", Set.of("Qwen2ForCausalLM")),
    QWEN3("qwen3", Set.of("Qwen3ForCausalLM")),
    QWEN3MOE("qwen3moe", Set.of("Qwen3MoeForCausalLM")),
    QWEN2MOE("qwen2moe", Set.of("Qwen2MoeForCausalLM"));

    private final String gguf;
    private final Set<String> hfNames;

    HfArch(String gguf, Set<String> hfNames) {
        this.gguf = gguf;
        this.hfNames = hfNames;
    }

    static Optional<HfArch> of(String hfArchitecture) {
        return Arrays.stream(values()).filter(a -> a.hfNames.contains(hfArchitecture)).findFirst();
    }

    /** Every supported {@code architectures} value, for error messages. */
    static String supported() {
        return Arrays.stream(values()).flatMap(a -> a.hfNames.stream()).sorted().toList().toString();
    }

    /** {@code general.architecture} and the prefix of the hyper-parameter keys. */
    String gguf() {
        return gguf;
    }

    /** LlamaModel's Q/K permutation from HF's rotate-half order to llama.cpp's adjacent pairs. */
    boolean permutesQk() {
        return this == LLAMA;
    }

    /** LlamaModel writes {@code vocab_size} and {@code rope.dimension_count} after the file type. */
    boolean writesVocabAndRopeDims() {
        return this == LLAMA;
    }

    /**
     * Qwen2MoeModel (and Qwen3MoeModel, its subclass) writes {@code expert_feed_forward_length} from
     * {@code moe_intermediate_size} and {@code expert_shared_feed_forward_length} from
     * {@code shared_expert_intermediate_size}.
     */
    boolean writesExpertFeedForward() {
        return this == QWEN3MOE || this == QWEN2MOE;
    }

    /** LlamaModel.set_vocab writes {@code add_space_prefix} from tokenizer_config.json; Qwen2Model's does not. */
    boolean writesAddSpacePrefix() {
        return this == LLAMA;
    }
}
