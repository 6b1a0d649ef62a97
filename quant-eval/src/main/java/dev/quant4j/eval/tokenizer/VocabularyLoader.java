package dev.quant4j.eval.tokenizer;

import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link Vocabulary} from {@code tokenizer.ggml.*} metadata the way {@code llama_vocab::impl::load}
 * (llama.cpp 34af94cd) does, but refusing malformed values with a message that names the key and index.
 */
final class VocabularyLoader {
    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TYPES = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    private static final String P = "tokenizer.ggml.";

    private VocabularyLoader() {
    }

    static Vocabulary load(Metadata metadata) {
        MetadataReader md = new MetadataReader(metadata);
        String model = md.string(MODEL).orElseThrow(() -> new TokenizerException(
                "metadata has no '" + MODEL + "': the file carries no tokenizer"));
        String preName = md.string(PRE).orElse("");
        VocabType type = switch (model) {
            case "llama" -> VocabType.SPM;
            case "gpt2" -> VocabType.BPE;
            case "bert" -> VocabType.WPM;
            case "no_vocab", "none" -> throw new TokenizerException(
                    MODEL + " is '" + model + "': the file has no vocabulary to tokenize with");
            default -> throw new TokenizerException(MODEL + " '" + model + "' is not supported; supported: "
                    + "llama (SentencePiece), gpt2 (byte-level BPE), bert (WordPiece)");
        };
        PreTokenizer pre = type == VocabType.BPE ? PreTokenizers.of(preName) : null;

        List<MetaValue> tokens = md.array(TOKENS, MetaType.STRING).orElseThrow(() -> new TokenizerException(
                "metadata has '" + MODEL + "' but no '" + TOKENS + "'"));
        int n = tokens.size();
        Optional<List<MetaValue>> scores = md.array(SCORES, MetaType.FLOAT32);
        Optional<List<MetaValue>> types = md.array(TYPES, MetaType.INT32);
        checkCount(SCORES, scores, n);
        checkCount(TYPES, types, n);

        String[] text = new String[n];
        float[] score = new float[n];
        int[] attr = new int[n];
        List<MetaValue> scoreValues = scores.orElse(null);
        List<MetaValue> typeValues = types.orElse(null);
        for (int i = 0; i < n; i++) {
            String t = ((MetaValue.Text) tokens.get(i)).value();
            if (t.isEmpty()) {
                t = "[EMPTY_" + i + "]"; // llama.cpp's stand-in for an empty token
            }
            text[i] = Vocabulary.bytes(t);
            if (text[i].indexOf('?') >= 0) { // UTF-8 encoding turns an unpaired surrogate into '?': look closer
                checkUnicode(TOKENS, t, i);
            }
            if (scoreValues != null) {
                score[i] = (float) ((MetaValue.Real) scoreValues.get(i)).value();
                if (Float.isNaN(score[i])) {
                    throw new TokenizerException(SCORES + "[" + i + "] is NaN");
                }
                score[i] += 0.0f; // -0.0 and 0.0 compare equal in llama.cpp
            }
            attr[i] = typeValues != null ? TokenAttr.ofType(((MetaValue.Int) typeValues.get(i)).value())
                    : TokenAttr.NORMAL;
        }

        TokenIndex ids = new TokenIndex(text);
        if (ids.repeatId >= 0) {
            throw new TokenizerException(TOKENS + "[" + ids.repeatId + "] repeats the text of " + TOKENS + "["
                    + ids.repeatedId + "] ('" + new String(Vocabulary.raw(text[ids.repeatId]), StandardCharsets.UTF_8)
                    + "'); token texts must be unique");
        }
        Map<String, Integer> special = specialIds(md, type, pre, n);
        boolean addBos = switch (type) {
            case SPM, WPM -> true;
            case BPE -> pre.addBos();
        };
        boolean addSpacePrefix = md.bool(P + "add_space_prefix").orElse(type == VocabType.SPM);
        addBos = md.bool(P + "add_bos_token").orElse(addBos);
        boolean addEos = md.bool(P + "add_eos_token").orElse(false);
        boolean addSep = md.bool(P + "add_sep_token").orElse(type == VocabType.WPM);
        boolean lowercase = md.bool(P + "normalizer.lowercase").orElse(true);
        boolean stripAccents = md.bool(P + "normalizer.strip_accents").orElse(lowercase);

        PairTable ranks = null;
        int[] mergeResult = null;
        if (type == VocabType.BPE) {
            List<MetaValue> merges = md.array(MERGES, MetaType.STRING).orElseThrow(() -> new TokenizerException(
                    MODEL + " is 'gpt2' but the metadata has no '" + MERGES + "'"));
            ranks = new PairTable(merges.size());
            mergeResult = new int[merges.size()];
            for (int r = 0; r < merges.size(); r++) {
                mergeResult[r] = parseMerge(((MetaValue.Text) merges.get(r)).value(), r, ids, ranks);
            }
        }

        String name = asciiLower(md.string("general.name").orElse(""));
        String arch = md.string("general.architecture").orElse("");
        int[] specialTokens = SpecialTokenRules.apply(text, attr, ids, special, preName, name, arch);
        Vocabulary.SpecialIds s = new Vocabulary.SpecialIds(special.get("bos"), special.get("eos"),
                special.get("unk"), special.get("sep"), special.get("pad"));
        Vocabulary.Flags flags = new Vocabulary.Flags(addBos, addEos, addSep, addSpacePrefix,
                pre != null && pre.ignoreMerges(), lowercase, stripAccents);
        return new Vocabulary(type, pre == null ? preName : pre.kind(), text, score, attr, s,
                flags, specialTokens, ranks, mergeResult, pre, ids);
    }

    private static void checkCount(String key, Optional<List<MetaValue>> values, int n) {
        if (values.isPresent() && values.get().size() != n) {
            throw new TokenizerException(key + " has " + values.get().size() + " entries but " + TOKENS + " has "
                    + n + "; they must be parallel arrays");
        }
    }

    private static void checkUnicode(String key, String t, int i) {
        for (int k = 0; k < t.length(); k++) {
            char c = t.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < t.length() && Character.isLowSurrogate(t.charAt(k + 1))) {
                k++;
            } else if (Character.isSurrogate(c)) {
                throw new TokenizerException(key + "[" + i + "] is not valid Unicode (unpaired surrogate at char "
                        + k + ")");
            }
        }
    }

    /** The merged token of merge {@code rank} ("left right"), after recording the pair's rank. */
    private static int parseMerge(String merge, int rank, TokenIndex ids, PairTable ranks) {
        String bytes = Vocabulary.bytes(merge);
        if (bytes.indexOf('?') >= 0) { // an unpaired surrogate became '?' (see load)
            checkUnicode(MERGES, merge, rank);
        }
        int space = bytes.indexOf(' ', 1);
        if (space < 0) {
            throw new TokenizerException(MERGES + "[" + rank + "] '" + merge + "' has no space between two tokens");
        }
        String left = bytes.substring(0, space);
        String right = bytes.substring(space + 1);
        int l = mergePart(ids, left, merge, rank);
        int r = mergePart(ids, right, merge, rank);
        int result = mergePart(ids, left + right, merge, rank);
        ranks.putIfAbsent(l, r, rank); // a repeated pair keeps its first (best) rank, as in llama.cpp
        return result;
    }

    private static int mergePart(TokenIndex ids, String part, String merge, int rank) {
        int id = ids.find(part);
        if (id < 0) {
            throw new TokenizerException(MERGES + "[" + rank + "] '" + merge + "' uses '"
                    + new String(Vocabulary.raw(part), StandardCharsets.UTF_8)
                    + "', which is not in " + TOKENS);
        }
        return id;
    }

    /** Special token ids: llama.cpp's defaults per model, then the metadata keys that are in range. */
    private static Map<String, Integer> specialIds(MetadataReader md, VocabType type, PreTokenizer pre, int n) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        switch (type) {
            case SPM -> put(ids, 1, 2, 0, -1, -1, -1);
            case BPE -> put(ids, pre.noBos() ? -1 : 11, 11, -1, -1, -1, -1);
            case WPM -> put(ids, 101, -1, 100, 102, 0, 103);
        }
        for (String k : List.of("eot", "eom", "fim_pre", "fim_suf", "fim_mid", "fim_pad", "fim_rep", "fim_sep")) {
            ids.put(k, -1);
        }
        ids.replaceAll((k, v) -> v >= n ? -1 : v);
        String[][] keys = {{"bos", "bos_token_id"}, {"eos", "eos_token_id"}, {"eot", "eot_token_id"},
            {"eom", "eom_token_id"}, {"unk", "unknown_token_id"}, {"sep", "seperator_token_id"},
            {"pad", "padding_token_id"}, {"mask", "mask_token_id"}, {"fim_pre", "fim_pre_token_id"},
            {"fim_suf", "fim_suf_token_id"}, {"fim_mid", "fim_mid_token_id"}, {"fim_pad", "fim_pad_token_id"},
            {"fim_rep", "fim_rep_token_id"}, {"fim_sep", "fim_sep_token_id"}, {"fim_pre", "prefix_token_id"},
            {"fim_suf", "suffix_token_id"}, {"fim_mid", "middle_token_id"}};
        for (String[] k : keys) {
            Optional<Long> v = md.uint32(P + k[1]);
            if (v.isPresent() && v.get() < n) { // out of range: llama.cpp warns and keeps the default
                ids.put(k[0], v.get().intValue());
            }
        }
        return ids;
    }

    private static void put(Map<String, Integer> ids, int bos, int eos, int unk, int sep, int pad, int mask) {
        ids.put("bos", bos);
        ids.put("eos", eos);
        ids.put("unk", unk);
        ids.put("sep", sep);
        ids.put("pad", pad);
        ids.put("mask", mask);
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
