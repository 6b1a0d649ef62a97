package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tokenizer.* metadata convert_hf_to_gguf writes for a llama-family directory: SentencePiece from
 * {@code tokenizer.model} when present, else byte-level BPE from {@code tokenizer.json}; then the special token
 * ids and add_bos/add_eos flags as gguf-py's SpecialVocab finds them.
 */
final class Vocab {
    private static final int NORMAL = 1;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;
    private static final int UNUSED = 5;
    private static final List<String> SPECIAL_TYPES = List.of("bos", "eos", "unk", "sep", "pad", "cls", "mask");
    private static final Map<String, String> ID_KEYS = Map.of("bos", "tokenizer.ggml.bos_token_id",
            "eos", "tokenizer.ggml.eos_token_id", "unk", "tokenizer.ggml.unknown_token_id",
            "sep", "tokenizer.ggml.seperator_token_id", "pad", "tokenizer.ggml.padding_token_id",
            "cls", "tokenizer.ggml.cls_token_id", "mask", "tokenizer.ggml.mask_token_id");

    /** Far above any real vocabulary (the largest are ~260k); bounds every id and size before arrays are made. */
    static final long MAX_TOKENS = 1L << 24;

    private Vocab() {
    }

    /** {@code v} as a token id or count, refused (naming the file and field) outside {@code [0, MAX_TOKENS]}. */
    private static int bounded(Path file, String field, long v) throws CorruptFormatException {
        if (v < 0 || v > MAX_TOKENS) {
            throw new CorruptFormatException(file, 0, field, v + " is outside 0.." + MAX_TOKENS
                    + " (no vocabulary is that large)");
        }
        return (int) v;
    }

    /**
     * The vocabulary size {@code n} for {@code listed} real tokens: convert pads the rest with {@code [PADi]}
     * placeholders; more than {@code max(65536, listed)} of them is refused (real checkpoints pad a few hundred), so a
     * small file cannot make millions of placeholder strings.
     */
    private static int padded(Path file, String field, long n, int listed) throws CorruptFormatException {
        int size = bounded(file, field, n);
        if ((long) size - listed > Math.max(1 << 16, listed)) {
            throw new CorruptFormatException(file, 0, field, size + " would pad the " + listed + " listed tokens with "
                    + (size - listed) + " placeholders");
        }
        return size;
    }

    static List<Metadata.Entry> entries(Path dir, JsonValue.Obj config, boolean addSpacePrefixKey) throws IOException {
        Optional<JsonValue.Obj> tokConfig = JsonFiles.readIfPresent(dir.resolve("tokenizer_config.json"));
        Optional<JsonValue.Obj> tokJson = JsonFiles.readIfPresent(dir.resolve("tokenizer.json"));
        List<Metadata.Entry> out = new ArrayList<>();
        tokConfig.filter(c -> addSpacePrefixKey).flatMap(c -> c.bool("add_prefix_space"))
                .ifPresent(v -> out.add(entry("tokenizer.ggml.add_space_prefix", new MetaValue.Bool(v))));
        Path spm = dir.resolve("tokenizer.model");
        Optional<Long> vocabSize = config.integer("vocab_size");
        if (Files.isRegularFile(spm)) {
            sentencepiece(SpmModel.read(spm), vocabSize, tokConfig, dir, out);
        } else if (tokJson.isPresent()) {
            bpe(dir.resolve("tokenizer.json"), tokJson.get(), vocabSize, out);
        } else {
            throw new CorruptFormatException(dir, 0, "tokenizer", "neither tokenizer.model nor tokenizer.json found;"
                    + " a GGUF model needs its vocabulary");
        }
        special(tokConfig, tokJson, config, out);
        if (tokConfig.isPresent()) {
            chatTemplate(dir, tokConfig.get(), out);
        }
        return out;
    }

    private static void sentencepiece(SpmModel m, Optional<Long> vocabSize, Optional<JsonValue.Obj> tokConfig, Path dir,
                                      List<Metadata.Entry> out) throws IOException {
        int n = padded(dir.resolve("config.json"), "vocab_size", vocabSize.orElse((long) m.pieces().size()), m.pieces().size());
        String[] tokens = new String[n];
        float[] scores = new float[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = "[PAD" + i + "]";
            scores[i] = -10000f;
            types[i] = UNUSED;
        }
        for (int i = 0; i < Math.min(n, m.pieces().size()); i++) {
            SpmModel.Piece p = m.pieces().get(i);
            tokens[i] = p.text();
            scores[i] = p.score();
            types[i] = p.type();
        }
        Optional<JsonValue.Obj> added = JsonFiles.readIfPresent(dir.resolve("added_tokens.json"));
        if (added.isPresent()) {
            for (Map.Entry<String, JsonValue> e : added.get().members().entrySet()) {
                if (e.getValue() instanceof JsonValue.Num num && num.asLong().isPresent() && num.asLong().get() >= 0 && num.asLong().get() < n) {
                    int id = Math.toIntExact(num.asLong().get());
                    tokens[id] = e.getKey();
                    scores[id] = -1000f;
                    types[id] = USER_DEFINED;
                }
            }
        }
        Optional<JsonValue.Obj> decoder = tokConfig.flatMap(c -> c.object("added_tokens_decoder"));
        if (decoder.isPresent()) {
            for (Map.Entry<String, JsonValue> e : decoder.get().members().entrySet()) {
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    continue;
                }
                if (id < 0 || id >= n || !(e.getValue() instanceof JsonValue.Obj t) || t.string("content").isEmpty()) {
                    continue;
                }
                String content = t.string("content").get();
                if (t.bool("special").orElse(false) || looksSpecial(content)) {
                    types[id] = CONTROL;
                } else {
                    content = content.replace("\u2581", " ");
                    types[id] = USER_DEFINED;
                }
                scores[id] = -1000f;
                tokens[id] = content;
            }
        }
        out.add(entry("tokenizer.ggml.model", new MetaValue.Text("llama")));
        out.add(entry("tokenizer.ggml.pre", new MetaValue.Text("default")));
        out.add(entry("tokenizer.ggml.tokens", strings(List.of(tokens))));
        List<MetaValue> sc = new ArrayList<>(n);
        for (float s : scores) {
            sc.add(new MetaValue.Real(MetaType.FLOAT32, s));
        }
        out.add(entry("tokenizer.ggml.scores", new MetaValue.Array(MetaType.FLOAT32, sc)));
        out.add(entry("tokenizer.ggml.token_type", ints(types)));
    }

    static void bpe(Path file, JsonValue.Obj tok, Optional<Long> vocabSize, List<Metadata.Entry> out)
            throws IOException {
        JsonValue.Obj model = tok.object("model").orElseThrow(() -> new CorruptFormatException(file, 0, "model",
                "tokenizer.json has no \"model\" object"));
        if (!"BPE".equals(model.string("type").orElse(""))) {
            throw new CorruptFormatException(file, 0, "model.type", "tokenizer model " + model.string("type")
                    .orElse("?") + " is not supported (BPE or a tokenizer.model are)");
        }
        Map<Integer, String> byId = new HashMap<>();
        for (Map.Entry<String, JsonValue> e : model.object("vocab").orElseThrow(() -> new CorruptFormatException(file, 0,
                "model.vocab", "missing vocab")).members().entrySet()) {
            if (!(e.getValue() instanceof JsonValue.Num num) || num.asLong().isEmpty()) {
                throw new CorruptFormatException(file, 0, "model.vocab", "token '" + e.getKey() + "' has no integer id");
            }
            byId.put(bounded(file, "model.vocab '" + e.getKey() + "'", num.asLong().get()), e.getKey());
        }
        Map<Integer, JsonValue.Obj> added = new HashMap<>();
        for (JsonValue a : tok.array("added_tokens").map(JsonValue.Arr::values).orElse(List.of())) {
            if (a instanceof JsonValue.Obj o && o.integer("id").isPresent() && o.string("content").isPresent()) {
                int id = bounded(file, "added_tokens id", o.integer("id").get());
                added.put(id, o);
                byId.put(id, o.string("content").get());
            }
        }
        int maxId = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        int n = padded(file, "vocab_size", vocabSize.orElse((long) maxId + 1), byId.size());
        if (maxId >= n) {
            throw new CorruptFormatException(file, 0, "model.vocab", "token id " + maxId + " is not below vocab_size " + n);
        }
        List<String> tokens = new ArrayList<>(n);
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            String t = byId.get(i);
            if (t == null) {
                tokens.add("[PAD" + i + "]");
                types[i] = UNUSED;
            } else if (added.containsKey(i)) {
                if (added.get(i).bool("special").orElse(false) || looksSpecial(t)) {
                    types[i] = CONTROL;
                } else {
                    t = t.replace("\u2581", " ");
                    types[i] = USER_DEFINED;
                }
                tokens.add(t);
            } else {
                tokens.add(t);
                types[i] = NORMAL;
            }
        }
        out.add(entry("tokenizer.ggml.model", new MetaValue.Text("gpt2")));
        out.add(entry("tokenizer.ggml.pre", new MetaValue.Text(PreTokenizer.identify(file, tok))));
        out.add(entry("tokenizer.ggml.tokens", strings(tokens)));
        out.add(entry("tokenizer.ggml.token_type", ints(types)));
        List<String> merges = merges(file, model);
        if (!merges.isEmpty()) {
            out.add(entry("tokenizer.ggml.merges", strings(merges)));
        }
    }

    /** Merges as "a b"; the pair form of transformers ≥ 4.45 has spaces inside parts written as U+0120. */
    private static List<String> merges(Path file, JsonValue.Obj model) throws CorruptFormatException {
        List<String> out = new ArrayList<>();
        List<JsonValue> raw = model.array("merges").map(JsonValue.Arr::values).orElse(List.of());
        boolean pairs = !raw.isEmpty() && raw.getFirst() instanceof JsonValue.Arr;
        boolean spaces = false;
        if (pairs) {
            for (JsonValue m : raw) {
                if (m instanceof JsonValue.Arr a) {
                    for (JsonValue s : a.values()) {
                        spaces |= s instanceof JsonValue.Str str && str.value().indexOf(' ') >= 0;
                    }
                }
            }
        }
        for (JsonValue m : raw) {
            if (m instanceof JsonValue.Str s && !pairs) {
                out.add(s.value());
            } else if (m instanceof JsonValue.Arr a && pairs && a.values().size() == 2
                    && a.values().get(0) instanceof JsonValue.Str x && a.values().get(1) instanceof JsonValue.Str y) {
                String l = spaces ? x.value().replace(' ', '\u0120') : x.value();
                String r = spaces ? y.value().replace(' ', '\u0120') : y.value();
                out.add(l + " " + r);
            } else {
                throw new CorruptFormatException(file, 0, "model.merges", "merge " + out.size()
                        + " is neither a string nor a pair of strings");
            }
        }
        return out;
    }

    /** Special ids (tokenizer.json's added tokens matched by tokenizer_config contents, then config.json ids). */
    private static void special(Optional<JsonValue.Obj> tokConfig, Optional<JsonValue.Obj> tokJson, JsonValue.Obj config,
                                List<Metadata.Entry> out) {
        Map<String, Long> ids = new LinkedHashMap<>();
        Map<String, Boolean> add = new LinkedHashMap<>();
        if (tokConfig.isPresent()) {
            List<JsonValue> addedTokens = tokJson.flatMap(t -> t.array("added_tokens")).map(JsonValue.Arr::values).orElse(List.of());
            for (String typ : SPECIAL_TYPES) {
                tokConfig.get().bool("add_" + typ + "_token").ifPresent(v -> add.put(typ, v));
                Optional<JsonValue> entry = tokConfig.get().get(typ + "_token");
                Optional<String> content = entry.flatMap(e -> e instanceof JsonValue.Str s ? Optional.of(s.value())
                        : e instanceof JsonValue.Obj o ? o.string("content") : Optional.empty());
                if (content.isEmpty()) {
                    continue;
                }
                for (JsonValue a : addedTokens) {
                    if (a instanceof JsonValue.Obj o && content.get().equals(o.string("content").orElse(null))) {
                        o.integer("id").filter(id -> id >= 0).ifPresent(id -> ids.putIfAbsent(typ, id));
                        break;
                    }
                }
            }
        }
        for (String typ : SPECIAL_TYPES) {
            config.get(typ + "_token_id").filter(v -> v instanceof JsonValue.Num num && num.isIntegral())
                    .flatMap(v -> ((JsonValue.Num) v).asLong()).filter(id -> id >= 0).ifPresent(id -> ids.putIfAbsent(typ, id));
        }
        ids.forEach((typ, id) -> out.add(entry(ID_KEYS.get(typ), MetaValue.u32(id))));
        add.forEach((typ, v) -> out.add(entry("tokenizer.ggml.add_" + typ + "_token", new MetaValue.Bool(v))));
    }

    /**
     * tokenizer_config's chat_template (else chat_template.jinja, else chat_template.json's): a string, or a list of
     * {name, template} where "default" becomes tokenizer.chat_template and others tokenizer.chat_template.NAME.
     */
    private static void chatTemplate(Path dir, JsonValue.Obj tokConfig, List<Metadata.Entry> out) throws IOException {
        Optional<JsonValue> t = tokConfig.get("chat_template");
        if (t.isEmpty()) {
            Path jinja = dir.resolve("chat_template.jinja");
            if (Files.isRegularFile(jinja)) {
                t = Optional.of(new JsonValue.Str(Files.readString(jinja)));
            } else {
                t = JsonFiles.readIfPresent(dir.resolve("chat_template.json")).flatMap(o -> o.get("chat_template"));
            }
        }
        if (t.isPresent() && t.get() instanceof JsonValue.Str s) {
            out.add(entry("tokenizer.chat_template", new MetaValue.Text(s.value())));
        } else if (t.isPresent() && t.get() instanceof JsonValue.Arr a) {
            // gguf-py add_chat_template: named templates first (names sanitized to [A-Za-z0-9_]), then their list
            // (a Python set there, so its order is not reproducible), then the default
            List<String> names = new ArrayList<>();
            String def = null;
            for (JsonValue x : a.values()) {
                if (x instanceof JsonValue.Obj o && o.string("template").isPresent()) {
                    String name = o.string("name").orElse("").replaceAll("[^A-Za-z0-9]", "_");
                    if (name.equals("default")) {
                        def = o.string("template").get();
                    } else if (!name.isEmpty() && !names.contains(name)) {
                        names.add(name);
                        out.add(entry("tokenizer.chat_template." + name, new MetaValue.Text(o.string("template").get())));
                    }
                }
            }
            if (!names.isEmpty()) {
                out.add(entry("tokenizer.chat_templates", strings(names)));
            }
            if (def != null) {
                out.add(entry("tokenizer.chat_template", new MetaValue.Text(def)));
            }
        }
    }

    private static boolean looksSpecial(String t) {
        return t.equals("<pad>") || t.equals("<mask>") || t.equals("<2mass>") || t.equals("[@BOS@]")
                || (t.startsWith("<|") && t.endsWith("|>")) || (t.startsWith("<\uff5c") && t.endsWith("\uff5c>"))
                || (t.startsWith("<unused") && t.endsWith(">"));
    }

    private static Metadata.Entry entry(String key, MetaValue v) {
        return new Metadata.Entry(key, v);
    }

    private static MetaValue strings(List<String> values) {
        List<MetaValue> v = new ArrayList<>(values.size());
        for (String s : values) {
            v.add(new MetaValue.Text(s));
        }
        return new MetaValue.Array(MetaType.STRING, v);
    }

    private static MetaValue ints(int[] values) {
        List<MetaValue> v = new ArrayList<>(values.length);
        for (int x : values) {
            v.add(MetaValue.i32(x));
        }
        return new MetaValue.Array(MetaType.INT32, v);
    }
}
