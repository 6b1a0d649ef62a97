package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * parse_special on real vocabularies, with the expected ids composed from plain tokenizations by llama.cpp's
 * partition rules: a special token splits the text, SentencePiece re-adds its space prefix after it, and phi-3's
 * special tokens strip the whitespace to their right (llama.cpp sets RSTRIP for models named phi-3).
 */
class SpecialTokenPartitionTest {
    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(IntStream::of).toArray();
    }

    @Test
    void gpt2EndOfTextIsOneTokenOnlyWhenParsingSpecials() throws Exception {
        Tokenizer tok = TokenizerTestData.tokenizer(TokenizerTestData.require("models/ggml-vocab-gpt-2.gguf"));
        assertArrayEquals(concat(tok.encode("Hello", false, false), new int[] {50256},
                tok.encode(" world", false, false)), tok.encode("Hello<|endoftext|> world", false, true));
        assertFalse(IntStream.of(tok.encode("Hello<|endoftext|>", false, false)).anyMatch(i -> i == 50256));
        assertEquals("Hello<|endoftext|> world", tok.decode(tok.encode("Hello<|endoftext|> world", false, true)));
    }

    @Test
    void phi3SpecialTokensSwallowTheWhitespaceAfterThem() throws Exception {
        Tokenizer tok = TokenizerTestData.tokenizer(TokenizerTestData.require("models/ggml-vocab-phi-3.gguf"));
        int user = 32010;
        int end = 32007;
        assertArrayEquals(concat(new int[] {1, user}, tok.encode("Hi there", false, false), new int[] {end}),
                tok.encode("<|user|>\n Hi there<|end|>\n", true, true));
    }

    @Test
    void storiesBosWrittenInTheTextIsParsedOnRequest() throws Exception {
        Tokenizer tok = TokenizerTestData.tokenizer(TokenizerTestData.require("models/stories260K.gguf"));
        assertArrayEquals(concat(new int[] {1, 1}, tok.encode("Once", false, false)),
                tok.encode("<s>Once", true, true));
        assertFalse(IntStream.of(tok.encode("<s>Once", false, false)).anyMatch(i -> i == 1), "<s> stays text");
    }
}
