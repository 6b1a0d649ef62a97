package dev.quant4j.safetensors.ct;

import dev.quant4j.api.json.JsonText;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.safetensors.hf.PreTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face tokenizer files of a GGUF model whose vocabulary is byte-level BPE ({@code tokenizer.ggml.model}
 * = {@code gpt2}) with a pre-tokenizer that has an exact tokenizer.json counterpart ({@code gpt-2}, {@code qwen2},
 * {@code llama-bpe}: {@link PreTokenizer#tokenizerJson}): {@code tokenizer.json} as the tokenizers library writes
 * it (compact, its field order; the vocabulary by id without convert's {@code [PADn]} placeholders, the merges as
 * pairs, CONTROL and USER_DEFINED tokens as added tokens), {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}. Reading the result back (HF → GGUF) gives the GGUF's tokens, types, merges,
 * pre-tokenizer name and special ids again. Not recorded in a GGUF, so chosen: added tokens are {@code normalized}
 * only under gpt-2 (as GPT-2's own file has it), and a BOS-adding vocabulary gets Llama 3's TemplateProcessing.
 */
final class GgufBpeTokenizer {
    private static final int UNUSED = 5;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;

    private GgufBpeTokenizer() {
    }

    /** Writes the files into {@code dir}; false (nothing written) for another vocabulary or pre-tokenizer. */
    static boolean write(Metadata m, Path dir) throws IOException {
        String pre = m.getString("tokenizer.ggml.pre").orElse("default");
        Optional<Map<String, JsonValue>> parts = PreTokenizer.tokenizerJson(pre);
        if (!m.getString("tokenizer.ggml.model").orElse("").equals("gpt2") || parts.isEmpty()) {
            return false;
        }
        List<MetaValue> tokens = array(m, "tokenizer.ggml.tokens");
        List<MetaValue> types = array(m, "tokenizer.ggml.token_type");
        List<MetaValue> merges = array(m, "tokenizer.ggml.merges");
        boolean normalized = pre.equals("gpt-2");
        StringBuilder added = new StringBuilder();
        Map<String, JsonValue> decoder = new LinkedHashMap<>();
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String t = text(tokens.get(i));
            int type = i < types.size() && types.get(i) instanceof MetaValue.Int x ? (int) x.value() : 1;
            if (type == UNUSED && t.equals("[PAD" + i + "]")) {
                continue; // convert's placeholder for an id the checkpoint does not use
            }
            vocab.append(vocab.isEmpty() ? "" : ",").append(JsonText.quote(t)).append(':').append(i);
            if (type == CONTROL || type == USER_DEFINED) {
                boolean special = type == CONTROL;
                boolean norm = normalized || !special;
                added.append(added.isEmpty() ? "" : ",").append("{\"id\":").append(i).append(",\"content\":")
                        .append(JsonText.quote(t)).append(",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,")
                        .append("\"normalized\":").append(norm).append(",\"special\":").append(special).append('}');
                Map<String, JsonValue> d = new LinkedHashMap<>();
                d.put("content", new JsonValue.Str(t));
                d.put("lstrip", new JsonValue.Bool(false));
                d.put("normalized", new JsonValue.Bool(norm));
                d.put("rstrip", new JsonValue.Bool(false));
                d.put("single_word", new JsonValue.Bool(false));
                d.put("special", new JsonValue.Bool(special));
                decoder.put(Integer.toString(i), new JsonValue.Obj(d));
            }
        }
        StringBuilder mergeText = new StringBuilder();
        for (MetaValue v : merges) {
            String s = text(v);
            int sp = s.indexOf(' ');
            if (sp < 0) {
                return false; // not a "left right" merge: no exact tokenizer.json
            }
            mergeText.append(mergeText.isEmpty() ? "" : ",").append('[').append(JsonText.quote(s.substring(0, sp)))
                    .append(',').append(JsonText.quote(s.substring(sp + 1))).append(']');
        }
        Map<String, JsonValue> p = parts.get();
        boolean addBos = flag(m, "tokenizer.ggml.add_bos_token", false);
        Optional<String> bos = token(tokens, m.getLong("tokenizer.ggml.bos_token_id"));
        JsonValue post = addBos && bos.isPresent() ? template(bos.get(), m.getLong("tokenizer.ggml.bos_token_id").orElseThrow())
                : p.get("post_processor");
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[" + added + "],"
                + "\"normalizer\":" + compact(p.get("normalizer")) + ",\"pre_tokenizer\":" + compact(p.get("pre_tokenizer"))
                + ",\"post_processor\":" + compact(post) + ",\"decoder\":" + compact(p.get("decoder"))
                + ",\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":null,\"continuing_subword_prefix\":\"\","
                + "\"end_of_word_suffix\":\"\",\"fuse_unk\":false,\"byte_fallback\":false,\"ignore_merges\":"
                + compact(p.get("ignore_merges")) + ",\"vocab\":{" + vocab + "},\"merges\":[" + mergeText + "]}}";
        Files.writeString(dir.resolve("tokenizer.json"), json);

        Map<String, JsonValue> special = new LinkedHashMap<>();
        for (String typ : List.of("bos", "eos", "unk", "pad")) {
            String key = typ.equals("unk") ? "unknown" : typ.equals("pad") ? "padding" : typ;
            token(tokens, m.getLong("tokenizer.ggml." + key + "_token_id"))
                    .ifPresent(t -> special.put(typ + "_token", new JsonValue.Str(t)));
        }
        Map<String, JsonValue> config = new LinkedHashMap<>(special);
        for (String flag : List.of("bos", "eos")) { // only when the GGUF says: HF → GGUF copies them back
            m.get("tokenizer.ggml.add_" + flag + "_token").filter(MetaValue.Bool.class::isInstance)
                    .ifPresent(v -> config.put("add_" + flag + "_token", new JsonValue.Bool(((MetaValue.Bool) v).value())));
        }
        config.put("add_prefix_space", new JsonValue.Bool(false));
        config.put("added_tokens_decoder", new JsonValue.Obj(decoder));
        config.putIfAbsent("bos_token", new JsonValue.Null());
        config.put("clean_up_tokenization_spaces", new JsonValue.Bool(false));
        config.put("tokenizer_class", new JsonValue.Str(switch (pre) {
            case "gpt-2" -> "GPT2Tokenizer";
            case "qwen2" -> "Qwen2Tokenizer";
            default -> "PreTrainedTokenizerFast";
        }));
        m.getString("tokenizer.chat_template").ifPresent(t -> config.put("chat_template", new JsonValue.Str(t)));
        Files.writeString(dir.resolve("tokenizer_config.json"), CtConfig.write(new JsonValue.Obj(config), "") + "\n");
        Files.writeString(dir.resolve("special_tokens_map.json"), CtConfig.write(new JsonValue.Obj(special), "") + "\n");
        return true;
    }

    /** Llama 3's post-processor: BOS before the sequence (and before each of a pair). */
    private static JsonValue template(String bos, long id) {
        JsonValue bosPiece = obj("SpecialToken", obj("id", new JsonValue.Str(bos), "type_id", num(0)));
        JsonValue a = obj("Sequence", obj("id", new JsonValue.Str("A"), "type_id", num(0)));
        JsonValue b = obj("Sequence", obj("id", new JsonValue.Str("B"), "type_id", num(1)));
        JsonValue bos1 = obj("SpecialToken", obj("id", new JsonValue.Str(bos), "type_id", num(1)));
        return obj("type", new JsonValue.Str("TemplateProcessing"), "single", new JsonValue.Arr(List.of(bosPiece, a)),
                "pair", new JsonValue.Arr(List.of(bosPiece, a, bos1, b)),
                "special_tokens", obj(bos, obj("id", new JsonValue.Str(bos), "ids", new JsonValue.Arr(List.of(num(id))),
                        "tokens", new JsonValue.Arr(List.of(new JsonValue.Str(bos))))));
    }

    private static JsonValue obj(Object... kv) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (JsonValue) kv[i + 1]);
        }
        return new JsonValue.Obj(m);
    }

    private static JsonValue num(long v) {
        return new JsonValue.Num(Long.toString(v));
    }

    /** Compact JSON in the members' own order (serde_json's output; non-ASCII written as is). */
    static String compact(JsonValue v) {
        return switch (v) {
            case JsonValue.Null n -> "null";
            case JsonValue.Bool b -> String.valueOf(b.value());
            case JsonValue.Num n -> n.text();
            case JsonValue.Str s -> JsonText.quote(s.value());
            case JsonValue.Arr a -> {
                StringBuilder b = new StringBuilder("[");
                for (JsonValue x : a.values()) {
                    b.append(b.length() > 1 ? "," : "").append(compact(x));
                }
                yield b.append(']').toString();
            }
            case JsonValue.Obj o -> {
                StringBuilder b = new StringBuilder("{");
                for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                    b.append(b.length() > 1 ? "," : "").append(JsonText.quote(e.getKey())).append(':').append(compact(e.getValue()));
                }
                yield b.append('}').toString();
            }
        };
    }

    private static String text(MetaValue v) {
        return v instanceof MetaValue.Text t ? t.value() : String.valueOf(v);
    }

    private static boolean flag(Metadata m, String key, boolean dflt) {
        return m.get(key).map(v -> v instanceof MetaValue.Bool b ? b.value() : dflt).orElse(dflt);
    }

    private static Optional<String> token(List<MetaValue> tokens, Optional<Long> id) {
        return id.filter(i -> i >= 0 && i < tokens.size()).map(i -> text(tokens.get(Math.toIntExact(i))));
    }

    private static List<MetaValue> array(Metadata m, String key) {
        return m.get(key).filter(MetaValue.Array.class::isInstance).map(v -> ((MetaValue.Array) v).values()).orElse(List.of());
    }
}
