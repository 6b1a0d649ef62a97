package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every llama.cpp tokenizer test pair in shared/: each {@code .inp} string tokenized without specials
 * ({@code llama_tokenize(vocab, text, add_special = false, parse_special = false)}) must give the {@code .out} ids
 * exactly. Upstream pairs are Hugging Face's ids (which llama.cpp reproduces); the gpt-2-pre-* pairs are llama.cpp's
 * own output for the GPT-2 vocabulary under other pre-tokenizers.
 */
class TokenizerReferencePairsTest {
    private static final String REF = "reference/eval/tokenizer/";

    static Stream<Arguments> vocabularies() {
        return Stream.of(
                Arguments.of("llama-spm", "models/ggml-vocab-llama-spm.gguf"),
                Arguments.of("phi-3", "models/ggml-vocab-phi-3.gguf"),
                Arguments.of("gpt-2", "models/ggml-vocab-gpt-2.gguf"),
                Arguments.of("starcoder", REF + "ggml-vocab-starcoder.gguf"),
                Arguments.of("refact", REF + "ggml-vocab-refact.gguf"),
                Arguments.of("bert-bge", "models/ggml-vocab-bert-bge.gguf"),
                Arguments.of("gpt-2-pre-llama-bpe", REF + "ggml-vocab-gpt-2-pre-llama-bpe.gguf"),
                Arguments.of("gpt-2-pre-qwen2", REF + "ggml-vocab-gpt-2-pre-qwen2.gguf"),
                Arguments.of("gpt-2-pre-deepseek-llm", REF + "ggml-vocab-gpt-2-pre-deepseek-llm.gguf"),
                Arguments.of("gpt-2-pre-deepseek-coder", REF + "ggml-vocab-gpt-2-pre-deepseek-coder.gguf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vocabularies")
    void everyPairMatchesLlamaCpp(String name, String vocab) throws Exception {
        Path gguf = TokenizerTestData.require(vocab);
        List<String> inputs = TokenizerTestData.inputs(
                TokenizerTestData.require(REF + "ggml-vocab-" + name + ".gguf.inp"));
        List<int[]> expected = TokenizerTestData.outputs(
                TokenizerTestData.require(REF + "ggml-vocab-" + name + ".gguf.out"));
        assertEquals(inputs.size(), expected.size(), "strings in .inp vs lines in .out");
        assertTrue(inputs.size() >= 40, "expected llama.cpp's ~46 test strings, got " + inputs.size());

        Tokenizer tok = TokenizerTestData.tokenizer(gguf);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] actual = tok.encode(inputs.get(i), false, false);
            if (!Arrays.equals(expected.get(i), actual)) {
                failures.add("#" + i + " '" + inputs.get(i).replace("\n", "\\n") + "': expected "
                        + Arrays.toString(expected.get(i)) + " got " + Arrays.toString(actual));
            }
        }
        assertTrue(failures.isEmpty(), name + ": " + (inputs.size() - failures.size()) + "/" + inputs.size()
                + " pairs match; mismatches:\n" + String.join("\n", failures));
    }
}
