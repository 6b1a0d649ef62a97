package dev.quant4j.safetensors.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.safetensors.io.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * tokenizer.json rebuilt from a byte-level BPE GGUF. Truth: GPT-2's tokenizer.json as the tokenizers library wrote it
 * ({@code reference/hf/tiny-random-bpe-f16}, same vocabulary as llama.cpp's {@code ggml-vocab-gpt-2.gguf}); and, for
 * gpt-2, qwen2 and llama-bpe, the round trip: the rebuilt files read back through the HF → GGUF view give the source
 * GGUF's tokenizer metadata (whose ids llama.cpp's test pairs check).
 */
class GgufBpeTokenizerTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(GgufBpeTokenizerTest.class.getClassLoader());
    private static final List<String> KEYS = List.of("tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens",
            "tokenizer.ggml.token_type", "tokenizer.ggml.merges", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id");

    @Test
    void gpt2TokenizerJsonIsTheLibrarysFileByteForByte(@TempDir Path tmp) throws Exception {
        try (ModelReader r = REGISTRY.format("gguf").open(SharedData.require("models/ggml-vocab-gpt-2.gguf"))) {
            assertTrue(GgufBpeTokenizer.write(r.metadata(), tmp));
        }
        Path ref = SharedData.require("reference/hf/tiny-random-bpe-f16/tokenizer.json");
        assertEquals(-1, Files.mismatch(ref, tmp.resolve("tokenizer.json")), "tokenizer.json vs the tokenizers library's");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gpt-2,models/ggml-vocab-gpt-2.gguf", "qwen2,reference/eval/tokenizer/ggml-vocab-gpt-2-pre-qwen2.gguf",
            "llama-bpe,reference/eval/tokenizer/ggml-vocab-gpt-2-pre-llama-bpe.gguf"})
    void readsBackAsTheSameGgufVocabulary(String pre, String vocab, @TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-random-bpe-f16");
        Path dir = tmp.resolve("model");
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.createSymbolicLink(dir.resolve(f), hf.resolve(f));
        }
        try (ModelReader src = REGISTRY.format("gguf").open(SharedData.require(vocab))) {
            Metadata want = src.metadata();
            assertEquals(pre, want.getString("tokenizer.ggml.pre").orElseThrow());
            assertTrue(GgufBpeTokenizer.write(want, dir));
            try (ModelReader back = REGISTRY.formatFor(dir).orElseThrow().open(dir)) {
                for (String k : KEYS) {
                    assertEquals(want.get(k), back.metadata().get(k), k);
                }
            }
        }
    }

    @Test
    void otherPreTokenizersAreNotRebuilt(@TempDir Path tmp) throws Exception {
        try (ModelReader r = REGISTRY.format("gguf").open(SharedData.require("reference/eval/tokenizer/ggml-vocab-gpt-2-pre-deepseek-llm.gguf"))) {
            assertFalse(GgufBpeTokenizer.write(r.metadata(), tmp));
        }
        assertEquals(List.of(), Files.list(tmp).toList());
    }
}
