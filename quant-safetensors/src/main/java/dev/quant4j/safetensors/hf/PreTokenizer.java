package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.json.JsonValue;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names the BPE pre-tokenizer for {@code tokenizer.ggml.pre}. convert_hf_to_gguf tokenizes a fixed text with the
 * HF tokenizer and looks the SHA-256 of the ids up in a table; without running the tokenizer we recognise the
 * configuration instead. Only GPT-2's (a plain ByteLevel pre-tokenizer with its built-in regex, no normalizer) is
 * recognised so far; anything else fails, as convert_hf_to_gguf fails on an unknown hash.
 */
final class PreTokenizer {
    private PreTokenizer() {
    }

    static String identify(Path file, JsonValue.Obj tok) throws CorruptFormatException {
        Optional<JsonValue.Obj> pre = tok.object("pre_tokenizer");
        boolean noNormalizer = tok.get("normalizer").map(n -> n instanceof JsonValue.Null).orElse(true);
        if (pre.isPresent() && "ByteLevel".equals(pre.get().string("type").orElse(""))
                && pre.get().bool("use_regex").orElse(true) && !pre.get().bool("add_prefix_space").orElse(false)
                && noNormalizer) {
            return "gpt-2";
        }
        throw new CorruptFormatException(file, 0, "pre_tokenizer", "this BPE pre-tokenizer ("
                + pre.flatMap(p -> p.string("type")).orElse("none") + ") is not recognised; supported: gpt-2"
                + " (ByteLevel with its default regex). Convert with llama.cpp's convert_hf_to_gguf.py instead");
    }
}
