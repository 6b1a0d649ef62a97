package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.json.JsonValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names the BPE pre-tokenizer for {@code tokenizer.ggml.pre}, and gives back the tokenizer.json pieces for a name.
 *
 * <p>convert_hf_to_gguf tokenizes a fixed text with the HF tokenizer and looks the SHA-256 of the ids up in a table
 * ({@code get_vocab_base_pre}); that needs the checkpoint's own tokenizer run. We recognise the configuration that
 * decides those ids instead, which is what llama.cpp then implements per name:
 * <ul>
 * <li>{@code gpt-2}: a lone {@code ByteLevel} pre-tokenizer with its built-in regex ({@code use_regex} true, no
 * prefix space), no normalizer;</li>
 * <li>{@code qwen2}: {@code Sequence[Split(Qwen2's regex, Isolated), ByteLevel(use_regex false)]}, normalizer none or
 * {@code NFC} (Qwen2/2.5/3's tokenizer.json);</li>
 * <li>{@code llama-bpe}: the same sequence with Llama 3's regex (digits in runs of up to three) and the BPE model's
 * {@code ignore_merges} true, no normalizer (Llama 3's tokenizer.json).</li>
 * </ul>
 * {@code default} is what the SentencePiece route writes. Limits: hash names that share one of these configurations
 * with another vocabulary (deepseek-r1-qwen, megrez, ... for qwen2's regex) get the name above, which llama.cpp
 * tokenizes identically; Llama 3's regex without {@code ignore_merges} (dbrx, smaug-bpe) and any other configuration
 * is refused, as convert_hf_to_gguf refuses an unknown hash.
 */
public final class PreTokenizer {
    /** Qwen2's Split regex as its tokenizer.json holds it (llama.cpp quotes it as the "original regex"). */
    public static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Llama 3's: as Qwen2's but numbers split in runs of up to three digits. */
    public static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private PreTokenizer() {
    }

    static String identify(Path file, JsonValue.Obj tok) throws CorruptFormatException {
        Optional<JsonValue.Obj> pre = tok.object("pre_tokenizer");
        String normalizer = tok.get("normalizer").filter(JsonValue.Obj.class::isInstance)
                .flatMap(n -> ((JsonValue.Obj) n).string("type")).orElse("none");
        boolean ignoreMerges = tok.object("model").flatMap(m -> m.bool("ignore_merges")).orElse(false);
        if (pre.isPresent() && isByteLevel(pre.get(), true) && normalizer.equals("none")) {
            return "gpt-2";
        }
        Optional<String> split = pre.flatMap(PreTokenizer::splitRegex);
        if (split.isPresent() && split.get().equals(QWEN2_REGEX) && (normalizer.equals("none") || normalizer.equals("NFC"))) {
            return "qwen2";
        }
        if (split.isPresent() && split.get().equals(LLAMA3_REGEX) && ignoreMerges && normalizer.equals("none")) {
            return "llama-bpe";
        }
        throw new CorruptFormatException(file, 0, "pre_tokenizer", "this BPE pre-tokenizer ("
                + pre.flatMap(p -> p.string("type")).orElse("none") + split.map(r -> " with Split regex " + r).orElse("")
                + ", normalizer " + normalizer + (ignoreMerges ? ", ignore_merges" : "") + ") is not recognised;"
                + " supported: gpt-2 (ByteLevel with its default regex), qwen2 (Qwen2's Split regex + ByteLevel),"
                + " llama-bpe (Llama 3's Split regex + ByteLevel, ignore_merges). Convert with llama.cpp's"
                + " convert_hf_to_gguf.py instead");
    }

    /** The regex of {@code Sequence[Split(Regex, Isolated, not inverted), ByteLevel(no regex, no prefix space)]}. */
    private static Optional<String> splitRegex(JsonValue.Obj pre) {
        if (!"Sequence".equals(pre.string("type").orElse(""))) {
            return Optional.empty();
        }
        List<JsonValue> parts = pre.array("pretokenizers").map(JsonValue.Arr::values).orElse(List.of());
        if (parts.size() != 2 || !(parts.get(0) instanceof JsonValue.Obj split) || !(parts.get(1) instanceof JsonValue.Obj bl)
                || !"Split".equals(split.string("type").orElse("")) || !isByteLevel(bl, false)
                || !"Isolated".equals(split.string("behavior").orElse("")) || split.bool("invert").orElse(false)) {
            return Optional.empty();
        }
        return split.object("pattern").flatMap(p -> p.string("Regex"));
    }

    private static boolean isByteLevel(JsonValue.Obj p, boolean regex) {
        return "ByteLevel".equals(p.string("type").orElse("")) && p.bool("use_regex").orElse(true) == regex
                && !p.bool("add_prefix_space").orElse(false);
    }

    /**
     * The tokenizer.json members that make a Hugging Face tokenizer behave as llama.cpp's pre-tokenizer {@code name}
     * (normalizer, pre_tokenizer, post_processor, decoder, and the BPE model's {@code ignore_merges}), as those
     * models' own tokenizer.json files hold them; empty for a name without an exact counterpart.
     */
    public static Optional<Map<String, JsonValue>> tokenizerJson(String name) {
        JsonValue byteLevelPost = obj("type", str("ByteLevel"), "add_prefix_space", no(), "trim_offsets", no(),
                "use_regex", no());
        JsonValue decoder = obj("type", str("ByteLevel"), "add_prefix_space", yes(), "trim_offsets", yes(),
                "use_regex", yes());
        return Optional.ofNullable(switch (name) {
            case "gpt-2" -> ordered("normalizer", new JsonValue.Null(),
                    "pre_tokenizer", obj("type", str("ByteLevel"), "add_prefix_space", no(), "trim_offsets", yes(),
                            "use_regex", yes()),
                    "post_processor", obj("type", str("ByteLevel"), "add_prefix_space", yes(), "trim_offsets", no(),
                            "use_regex", yes()),
                    "decoder", decoder, "ignore_merges", no());
            case "qwen2" -> ordered("normalizer", obj("type", str("NFC")), "pre_tokenizer", sequence(QWEN2_REGEX, false),
                    "post_processor", byteLevelPost, "decoder", decoder, "ignore_merges", no());
            case "llama-bpe" -> ordered("normalizer", new JsonValue.Null(), "pre_tokenizer", sequence(LLAMA3_REGEX, true),
                    "post_processor", byteLevelPost, "decoder", decoder, "ignore_merges", yes());
            default -> null;
        });
    }

    private static JsonValue sequence(String regex, boolean trimOffsets) {
        JsonValue split = obj("type", str("Split"), "pattern", obj("Regex", str(regex)), "behavior", str("Isolated"),
                "invert", no());
        JsonValue bl = obj("type", str("ByteLevel"), "add_prefix_space", no(), "trim_offsets",
                new JsonValue.Bool(trimOffsets), "use_regex", no());
        return obj("type", str("Sequence"), "pretokenizers", new JsonValue.Arr(List.of(split, bl)));
    }

    /** Members in the given order (the tokenizers library's field order, which its JSON keeps). */
    private static Map<String, JsonValue> ordered(Object... kv) {
        Map<String, JsonValue> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (JsonValue) kv[i + 1]);
        }
        return m;
    }

    private static JsonValue obj(Object... kv) {
        return new JsonValue.Obj(ordered(kv));
    }

    private static JsonValue str(String s) {
        return new JsonValue.Str(s);
    }

    private static JsonValue yes() {
        return new JsonValue.Bool(true);
    }

    private static JsonValue no() {
        return new JsonValue.Bool(false);
    }
}
