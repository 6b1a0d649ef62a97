package dev.quant4j.eval.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The token attribute fix-ups llama.cpp applies by token text after loading (end-of-generation and fill-in-the-middle
 * tokens become control tokens, gpt-oss and phi-3 quirks, ...). They decide which tokens the special-token
 * partition recognises, so the ids depend on them. Where llama.cpp picks "the first" of several candidates in
 * hash-map order, we pick the lowest id.
 */
final class SpecialTokenRules {
    private static final List<String> EOT = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>",
            "<end_of_utterance>");
    private static final List<String> EOM = List.of("<|eom_id|>");
    private static final List<String> FIM_PRE = List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>");
    private static final List<String> FIM_SUF = List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
            "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>");
    private static final List<String> FIM_MID = List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
            "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>");
    private static final List<String> FIM_PAD = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    private static final List<String> FIM_REP = List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>",
            "<reponame>");
    private static final List<String> FIM_SEP = List.of("<|file_sep|>");
    private static final List<String> EOG = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>",
            "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>",
            "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>",
            "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[");

    private SpecialTokenRules() {
    }

    /**
     * Updates {@code attr} in place and returns the special tokens the partition looks for (control, user-defined
     * and unknown tokens), longest text first.
     *
     * @param special mutable special ids by role (eot, eom and fim_* are filled in when detected)
     */
    static int[] apply(String[] text, int[] attr, TokenIndex ids, Map<String, Integer> special,
                       String pre, String lowerName, String arch) {
        detect(ids, attr, special, "eot", EOT);
        detect(ids, attr, special, "eom", EOM);
        detect(ids, attr, special, "fim_pre", FIM_PRE);
        detect(ids, attr, special, "fim_suf", FIM_SUF);
        detect(ids, attr, special, "fim_mid", FIM_MID);
        detect(ids, attr, special, "fim_pad", FIM_PAD);
        detect(ids, attr, special, "fim_rep", FIM_REP);
        detect(ids, attr, special, "fim_sep", FIM_SEP);
        for (int i = 0; i < text.length; i++) {
            if ((attr[i] & TokenAttr.CONTROL) != 0 && text[i].contains("unused")) {
                attr[i] |= TokenAttr.UNUSED;
            }
        }
        Set<Integer> eog = new LinkedHashSet<>();
        for (String role : List.of("fim_pad", "fim_rep", "fim_sep")) {
            addIfSet(eog, special.get(role));
        }
        for (String t : EOG) {
            Integer id = ids.get(Vocabulary.bytes(t));
            if (id != null) {
                eog.add(id);
                attr[id] |= TokenAttr.CONTROL;
            }
        }
        for (String t : List.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>")) {
            Integer id = ids.get(Vocabulary.bytes(t));
            if (id != null) {
                attr[id] = TokenAttr.USER_DEFINED; // gpt-oss: always rendered
            }
        }
        for (String role : List.of("eos", "eot", "eom")) {
            addIfSet(eog, special.get(role));
        }
        Integer end = eogId(eog, text, "<|end|>");
        if (end != null && ((eogId(eog, text, "<|return|>") != null && eogId(eog, text, "<|call|>") != null)
                || (eogId(eog, text, "<|calls|>") != null && eogId(eog, text, "<|flush|>") != null))) {
            attr[end] = TokenAttr.USER_DEFINED;
        }
        Integer eos = eogId(eog, text, "</s>");
        if (eos != null && eogId(eog, text, "<|tool_response>") != null) {
            attr[eos] = TokenAttr.NORMAL;
        }

        List<Integer> cache = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            if ((attr[i] & (TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN)) != 0) {
                cache.add(i);
            }
        }
        cache.sort(Comparator.comparingInt((Integer i) -> -text[i].length()).thenComparingInt(i -> i));

        if (containsAny(pre, "jina-v2-de", "jina-v2-es", "jina-v2-code")
                || containsAny(arch, "nomic-bert-moe", "jina-bert-v3")) {
            setIfPresent(ids, attr, "<mask>", TokenAttr.LSTRIP, true);
        } else if (containsAny(lowerName, "phi-3", "phi3")) {
            for (int id : cache) {
                attr[id] |= TokenAttr.RSTRIP;
            }
            setRequired(ids, attr, "</s>", TokenAttr.RSTRIP, true);
            for (String t : List.of("<unk>", "<s>", "<|endoftext|>")) {
                setRequired(ids, attr, t, TokenAttr.RSTRIP, false);
            }
        } else if (lowerName.contains("modern-bert")) {
            setIfPresent(ids, attr, "[MASK]", TokenAttr.LSTRIP, true);
        }
        return cache.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void detect(TokenIndex ids, int[] attr, Map<String, Integer> special, String role,
                               List<String> candidates) {
        if (special.get(role) != -1) {
            return;
        }
        int best = -1;
        for (String t : candidates) {
            Integer id = ids.get(Vocabulary.bytes(t));
            if (id != null && (best < 0 || id < best)) {
                best = id;
            }
        }
        if (best >= 0) {
            special.put(role, best);
            attr[best] |= TokenAttr.CONTROL;
        }
    }

    private static void addIfSet(Set<Integer> eog, int id) {
        if (id >= 0) {
            eog.add(id);
        }
    }

    private static Integer eogId(Set<Integer> eog, String[] text, String t) {
        String b = Vocabulary.bytes(t);
        for (int id : eog) {
            if (id >= 0 && id < text.length && text[id].equals(b)) {
                return id;
            }
        }
        return null;
    }

    private static boolean containsAny(String s, String... parts) {
        for (String p : parts) {
            if (s.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static void setIfPresent(TokenIndex ids, int[] attr, String t, int bit, boolean on) {
        Integer id = ids.get(Vocabulary.bytes(t));
        if (id != null) {
            attr[id] = on ? attr[id] | bit : attr[id] & ~bit;
        }
    }

    private static void setRequired(TokenIndex ids, int[] attr, String t, int bit, boolean on) {
        if (ids.find(Vocabulary.bytes(t)) < 0) {
            throw new TokenizerException("a phi-3 vocabulary (general.name) must hold token '" + t
                    + "', as llama.cpp requires");
        }
        setIfPresent(ids, attr, t, bit, on);
    }
}
