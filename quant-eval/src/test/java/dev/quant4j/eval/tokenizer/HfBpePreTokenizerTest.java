package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hugging Face → GGUF of a byte-level BPE checkpoint whose tokenizer.json carries Qwen2's or Llama 3's pre-tokenizer:
 * the reference GPT-2 BPE folder ({@code reference/hf/tiny-random-bpe-f16}, made by the tokenizers library) with its
 * pre-tokenizer replaced by the one those models publish. The converted metadata must name the pre-tokenizer as
 * llama.cpp names it, and our tokenizer on that metadata must reproduce llama.cpp's own ids for the GPT-2 vocabulary
 * under that pre-tokenizer ({@code reference/eval/tokenizer/ggml-vocab-gpt-2-pre-P.gguf.out}) on all 46 strings.
 */
class HfBpePreTokenizerTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(HfBpePreTokenizerTest.class.getClassLoader());
    private static final String GPT2_PRE = "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\","
            + "\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}";
    // the "original regex from tokenizer.json" that llama.cpp's llama-vocab.cpp quotes for each pre-tokenizer type
    private static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gpt-2,gpt-2", "qwen2,gpt-2-pre-qwen2", "llama-bpe,gpt-2-pre-llama-bpe"})
    void identifiesThePreTokenizerAndTokenizesLikeLlamaCpp(String pre, String pairs, @TempDir Path tmp) throws IOException {
        Path dir = folder(tmp, pre);
        List<String> inputs = TokenizerTestData.inputs(TokenizerTestData.require("reference/eval/tokenizer/ggml-vocab-gpt-2.gguf.inp"));
        List<int[]> expected = TokenizerTestData.outputs(TokenizerTestData.require("reference/eval/tokenizer/ggml-vocab-" + pairs + ".gguf.out"));
        try (ModelReader r = REGISTRY.formatFor(dir).orElseThrow().open(dir)) {
            Metadata m = r.metadata();
            assertEquals(pre, m.getString("tokenizer.ggml.pre").orElseThrow());
            Tokenizer tok = Tokenizers.fromMetadata(m);
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                int[] actual = tok.encode(inputs.get(i), false, false);
                if (!Arrays.equals(expected.get(i), actual)) {
                    failures.add("#" + i + ": expected " + Arrays.toString(expected.get(i)) + " got " + Arrays.toString(actual));
                }
            }
            assertEquals(List.of(), failures, pre);
        }
    }

    @Test
    void llama3RegexWithoutIgnoreMergesIsRefused(@TempDir Path tmp) throws IOException {
        Path dir = folder(tmp, "llama-bpe");
        Path tj = dir.resolve("tokenizer.json");
        Files.writeString(tj, Files.readString(tj).replace("\"ignore_merges\":true", "\"ignore_merges\":false"));
        Exception e = assertThrows(Exception.class, () -> REGISTRY.formatFor(dir).orElseThrow().open(dir).close());
        assertTrue(e.getMessage().contains("pre_tokenizer") && e.getMessage().contains("not recognised"), e.getMessage());
    }

    /** gguf-py Metadata.load: sampling keys from generation_config.json, after general.type and before general.name. */
    @Test
    void generationConfigGivesTheSamplingKeys(@TempDir Path tmp) throws IOException {
        Path dir = folder(tmp, "gpt-2");
        Files.delete(dir.resolve("generation_config.json"));
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 50256, \"do_sample\": true,"
                + " \"repetition_penalty\": 1.05, \"temperature\": 0.7, \"top_k\": 20, \"top_p\": 0.8,"
                + " \"transformers_version\": \"4.45.0\"}");
        try (ModelReader r = REGISTRY.formatFor(dir).orElseThrow().open(dir)) {
            List<String> keys = r.metadata().entries().stream().map(Metadata.Entry::key).toList();
            assertEquals(List.of("general.architecture", "general.type", "general.sampling.top_k", "general.sampling.top_p",
                    "general.sampling.temp", "general.name"), keys.subList(0, 6));
            assertEquals(MetaValue.i32(20), r.metadata().get("general.sampling.top_k").orElseThrow());
            assertEquals(new MetaValue.Real(MetaType.FLOAT32, 0.8f), r.metadata().get("general.sampling.top_p").orElseThrow());
            assertEquals(new MetaValue.Real(MetaType.FLOAT32, 0.7f), r.metadata().get("general.sampling.temp").orElseThrow());
            assertTrue(keys.stream().noneMatch(k -> k.contains("penalty")), "repetition_penalty is not a key gguf-py reads");
        }
    }

    /** The reference BPE folder with its pre-tokenizer replaced by {@code pre}'s, as those models publish it. */
    static Path folder(Path tmp, String pre) throws IOException {
        Path src = TokenizerTestData.require("reference/hf/tiny-random-bpe-f16");
        Path dir = tmp.resolve("bpe-" + pre);
        Files.createDirectories(dir);
        try (var files = Files.list(src)) {
            for (Path p : files.toList()) {
                if (!p.getFileName().toString().startsWith("convert-")) {
                    Files.copy(p, dir.resolve(p.getFileName()));
                }
            }
        }
        Path tj = dir.resolve("tokenizer.json");
        String json = Files.readString(tj);
        assertTrue(json.contains(GPT2_PRE), "the reference tokenizer.json's GPT-2 pre-tokenizer");
        String replaced = switch (pre) {
            case "gpt-2" -> json;
            case "qwen2" -> json.replace(GPT2_PRE, "\"normalizer\":{\"type\":\"NFC\"},\"pre_tokenizer\":" + sequence(QWEN2, false));
            case "llama-bpe" -> json.replace(GPT2_PRE, "\"normalizer\":null,\"pre_tokenizer\":" + sequence(LLAMA3, true))
                    .replace("\"ignore_merges\":false", "\"ignore_merges\":true");
            default -> throw new IllegalArgumentException(pre);
        };
        Files.delete(tj);
        Files.writeString(tj, replaced);
        return dir;
    }

    private static String sequence(String regex, boolean trimOffsets) {
        return "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\""
                + regex.replace("\\", "\\\\") + "\"},\"behavior\":\"Isolated\",\"invert\":false},{\"type\":\"ByteLevel\","
                + "\"add_prefix_space\":false,\"trim_offsets\":" + trimOffsets + ",\"use_regex\":false}]}";
    }
}
