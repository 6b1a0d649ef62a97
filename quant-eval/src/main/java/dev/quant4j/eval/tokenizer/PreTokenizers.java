package dev.quant4j.eval.tokenizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The {@code tokenizer.ggml.pre} names we implement, each resolved as llama.cpp 34af94cd resolves it. A name outside
 * this table is refused: approximating a pre-tokenizer would give plausible but wrong ids.
 */
final class PreTokenizers {
    private static final Map<String, Supplier<PreTokenizer>> BY_NAME = table();

    private PreTokenizers() {
    }

    private static Map<String, Supplier<PreTokenizer>> table() {
        Map<String, Supplier<PreTokenizer>> m = new LinkedHashMap<>();
        m.put("default", PreTokenizer::defaults);
        for (String n : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
                "lfm2", "jina-v5-nano")) {
            m.put(n, () -> PreTokenizer.llama3("llama3", true));
        }
        m.put("dbrx", () -> PreTokenizer.llama3("dbrx", false));
        m.put("smaug-bpe", () -> PreTokenizer.llama3("smaug", false));
        m.put("glm4", PreTokenizer::chatglm4);
        m.put("chatglm-bpe", PreTokenizer::chatglm4);
        m.put("deepseek-llm", PreTokenizer::deepseekLlm);
        m.put("deepseek-coder", PreTokenizer::deepseekCoder);
        m.put("falcon", PreTokenizer::falcon);
        for (String n : List.of("gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
                "a.x-4.0", "mellum", "modern-bert", "exaone4", "jina-v1-en", "jina-v2-code", "roberta-bpe", "mpt",
                "olmo", "jais", "trillion", "granite-docling")) {
            m.put(n, () -> PreTokenizer.gpt2("gpt2"));
        }
        for (String n : List.of("starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b",
                "mellum2")) {
            m.put(n, () -> PreTokenizer.starcoder("starcoder"));
        }
        for (String n : List.of("qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan",
                "solar-open", "grok-2")) {
            m.put(n, () -> PreTokenizer.qwen2("qwen2"));
        }
        return Map.copyOf(m);
    }

    static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }

    /** The pre-tokenizer named {@code name} (a missing or empty name means {@code default}, as in llama.cpp). */
    static PreTokenizer of(String name) {
        Supplier<PreTokenizer> s = BY_NAME.get(name.isEmpty() ? "default" : name);
        if (s == null) {
            throw new TokenizerException("tokenizer.ggml.pre '" + name + "' is not implemented (it is "
                    + "refused rather than approximated); supported: " + String.join(", ", names()));
        }
        return s.get();
    }
}
