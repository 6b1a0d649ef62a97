package dev.quant4j.gguf.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.util.List;
import java.util.Optional;

/**
 * The hyper-parameters the mixture rules read (mixtures.md section 4.1), taken from the input metadata with
 * the {@code --override-kv} values applied, as llama.cpp's loader sees them.
 *
 * @param arch    {@code general.architecture}
 * @param nLayer  {@code {arch}.block_count}
 * @param nHead   layer 0's {@code {arch}.attention.head_count} (0 when absent)
 * @param nHeadKv layer 0's {@code {arch}.attention.head_count_kv} (= nHead when absent)
 * @param nExpert {@code {arch}.expert_count} (0 when absent)
 */
record ModelFacts(String arch, int nLayer, long nHead, long nHeadKv, long nExpert) {

    static ModelFacts read(Metadata input, List<KvOverride> overrides) {
        Metadata m = input;
        for (KvOverride o : overrides) {
            m = m.with(o.key(), o.loaded());
        }
        String arch = m.getString("general.architecture").orElseThrow(() -> new QuantException(
                ErrorCode.INVALID_PLAN, "the model has no general.architecture; llama-quantize cannot load it"));
        long layers = integer(m, arch + ".block_count").orElseThrow(() -> new QuantException(ErrorCode.INVALID_PLAN,
                "the model has no " + arch + ".block_count; llama-quantize cannot load it"));
        if (layers < 0 || layers > 512) {
            throw new QuantException(ErrorCode.INVALID_PLAN, arch + ".block_count = " + layers
                    + " is outside llama.cpp's limit of 512 layers");
        }
        long head = integer(m, arch + ".attention.head_count").orElse(0L);
        long headKv = integer(m, arch + ".attention.head_count_kv").orElse(head);
        long experts = integer(m, arch + ".expert_count").orElse(0L);
        return new ModelFacts(arch, (int) layers, head, headKv, experts);
    }

    /** An integer key, or element 0 of a per-layer integer array; as an unsigned 32-bit value like the loader's. */
    private static Optional<Long> integer(Metadata m, String key) {
        Optional<MetaValue> v = m.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        MetaValue value = v.get();
        if (value instanceof MetaValue.Array a && !a.values().isEmpty()) {
            value = a.values().getFirst();
        }
        if (value instanceof MetaValue.Int i) {
            return Optional.of(i.value() & 0xFFFF_FFFFL);
        }
        throw new QuantException(ErrorCode.INVALID_PLAN, "metadata key " + key + " is " + value.type().label()
                + ", llama.cpp expects an integer (check --override-kv)");
    }

    /** n_head / n_head_kv of layer 0, 0 when there are no KV heads. */
    long nGqa() {
        return nHeadKv == 0 ? 0 : nHead / nHeadKv;
    }

    boolean isFalcon() {
        return arch.equals("falcon");
    }

    /**
     * llama.cpp's "70B" model class, the only size the rules look at: llama with 80 layers, not 8 experts and
     * grouped-query attention; qwen2, olmo and deci with 80 layers; jais2 with 68.
     */
    boolean is70B() {
        return switch (arch) {
            case "llama" -> nLayer == 80 && nExpert != 8 && nHead != nHeadKv;
            case "qwen2", "olmo", "deci" -> nLayer == 80;
            case "jais2" -> nLayer == 68;
            default -> false;
        };
    }
}
