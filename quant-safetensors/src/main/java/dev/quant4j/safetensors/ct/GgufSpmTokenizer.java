package dev.quant4j.safetensors.ct;

import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face tokenizer files of a GGUF model whose vocabulary is SentencePiece ({@code tokenizer.ggml.model}
 * = {@code llama}): {@code tokenizer.model} rebuilt as a sentencepiece ModelProto (pieces with their scores and
 * types, a BPE trainer spec with byte fallback and the special ids, the normalizer's add_dummy_prefix), plus
 * {@code tokenizer_config.json} ({@code LlamaTokenizer}, add_bos/add_eos) and {@code special_tokens_map.json} —
 * what transformers' LlamaTokenizer loads. Other vocabularies (GPT-2-style BPE, WordPiece...) are not rebuilt: their
 * tokenizer.json needs the pre-tokenizer's exact regexes and normalizers, which GGUF records only as a name.
 */
final class GgufSpmTokenizer {
    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int BYTE = 6;

    private GgufSpmTokenizer() {
    }

    /** Writes the files into {@code dir}; false (nothing written) when the vocabulary is not SentencePiece. */
    static boolean write(Metadata m, Path dir) throws IOException {
        if (!m.getString("tokenizer.ggml.model").orElse("").equals("llama")) {
            return false;
        }
        List<MetaValue> tokens = array(m, "tokenizer.ggml.tokens");
        List<MetaValue> scores = array(m, "tokenizer.ggml.scores");
        List<MetaValue> types = array(m, "tokenizer.ggml.token_type");
        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        boolean bytes = false;
        long unk = m.getLong("tokenizer.ggml.unknown_token_id").orElse(-1L);
        for (int i = 0; i < tokens.size(); i++) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            string(p, 1, ((MetaValue.Text) tokens.get(i)).value());
            float score = i < scores.size() && scores.get(i) instanceof MetaValue.Real r ? (float) r.value() : 0f;
            key(p, 2, 5);
            int bits = Float.floatToRawIntBits(score);
            for (int k = 0; k < 4; k++) {
                p.write(bits >>> (8 * k));
            }
            int type = i < types.size() && types.get(i) instanceof MetaValue.Int t ? (int) t.value() : NORMAL;
            if (type != NORMAL) { // sentencepiece leaves the default out
                key(p, 3, 0);
                varint(p, type);
            }
            bytes |= type == BYTE;
            if (type == UNKNOWN && unk < 0) {
                unk = i;
            }
            message(proto, 1, p);
        }
        ByteArrayOutputStream trainer = new ByteArrayOutputStream();
        key(trainer, 3, 0);
        varint(trainer, 2); // model_type BPE
        key(trainer, 4, 0);
        varint(trainer, tokens.size());
        key(trainer, 35, 0);
        varint(trainer, bytes ? 1 : 0); // byte_fallback
        long[] ids = {unk, m.getLong("tokenizer.ggml.bos_token_id").orElse(-1L), m.getLong("tokenizer.ggml.eos_token_id")
                .orElse(-1L), m.getLong("tokenizer.ggml.padding_token_id").orElse(-1L)};
        for (int k = 0; k < ids.length; k++) {
            key(trainer, 40 + k, 0);
            varint(trainer, ids[k]);
        }
        message(proto, 2, trainer);
        ByteArrayOutputStream normalizer = new ByteArrayOutputStream();
        string(normalizer, 1, "identity");
        key(normalizer, 3, 0);
        varint(normalizer, m.get("tokenizer.ggml.add_space_prefix").map(v -> v instanceof MetaValue.Bool b && !b.value())
                .orElse(false) ? 0 : 1);
        key(normalizer, 4, 0);
        varint(normalizer, m.get("tokenizer.ggml.remove_extra_whitespaces")
                .map(v -> v instanceof MetaValue.Bool b && b.value()).orElse(false) ? 1 : 0);
        message(proto, 3, normalizer);
        Files.write(dir.resolve("tokenizer.model"), proto.toByteArray());

        Map<String, JsonValue> special = new LinkedHashMap<>();
        token(tokens, ids[1]).ifPresent(t -> special.put("bos_token", new JsonValue.Str(t)));
        token(tokens, ids[2]).ifPresent(t -> special.put("eos_token", new JsonValue.Str(t)));
        token(tokens, ids[0]).ifPresent(t -> special.put("unk_token", new JsonValue.Str(t)));
        token(tokens, ids[3]).ifPresent(t -> special.put("pad_token", new JsonValue.Str(t)));
        Map<String, JsonValue> config = new LinkedHashMap<>(special);
        config.put("add_bos_token", new JsonValue.Bool(flag(m, "tokenizer.ggml.add_bos_token", true)));
        config.put("add_eos_token", new JsonValue.Bool(flag(m, "tokenizer.ggml.add_eos_token", false)));
        config.putIfAbsent("pad_token", new JsonValue.Null());
        config.put("clean_up_tokenization_spaces", new JsonValue.Bool(false));
        config.put("legacy", new JsonValue.Bool(true));
        config.put("sp_model_kwargs", new JsonValue.Obj(Map.of()));
        config.put("tokenizer_class", new JsonValue.Str("LlamaTokenizer"));
        m.getString("tokenizer.chat_template").ifPresent(t -> config.put("chat_template", new JsonValue.Str(t)));
        Files.writeString(dir.resolve("tokenizer_config.json"), CtConfig.write(new JsonValue.Obj(config), "") + "\n");
        Files.writeString(dir.resolve("special_tokens_map.json"), CtConfig.write(new JsonValue.Obj(special), "") + "\n");
        return true;
    }

    private static boolean flag(Metadata m, String key, boolean dflt) {
        return m.get(key).map(v -> v instanceof MetaValue.Bool b ? b.value() : dflt).orElse(dflt);
    }

    private static Optional<String> token(List<MetaValue> tokens, long id) {
        return id >= 0 && id < tokens.size() ? Optional.of(((MetaValue.Text) tokens.get((int) id)).value()) : Optional.empty();
    }

    private static List<MetaValue> array(Metadata m, String key) {
        return m.get(key).filter(MetaValue.Array.class::isInstance).map(v -> ((MetaValue.Array) v).values()).orElse(List.of());
    }

    private static void key(ByteArrayOutputStream out, int field, int wire) {
        varint(out, ((long) field << 3) | wire);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void string(ByteArrayOutputStream out, int field, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        key(out, field, 2);
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static void message(ByteArrayOutputStream out, int field, ByteArrayOutputStream m) {
        key(out, field, 2);
        varint(out, m.size());
        out.writeBytes(m.toByteArray());
    }
}
