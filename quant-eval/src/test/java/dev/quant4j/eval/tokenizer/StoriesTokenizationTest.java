package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Whole files through stories260K's SentencePiece vocabulary against {@code llama-tokenize -f FILE --ids
 * --no-parse-special} (BOS included): the 1 MB held-out Shakespeare text and the TinyStories sample.
 */
class StoriesTokenizationTest {
    @Test
    void heldOutShakespeareMatchesLlamaTokenizeAndIsFast() throws Exception {
        Tokenizer tok = TokenizerTestData.tokenizer(TokenizerTestData.require("models/stories260K.gguf"));
        byte[] text = Files.readAllBytes(
                TokenizerTestData.require("reference/trained/tiny-shakespeare-256-heldout.txt"));
        int[] expected = TokenizerTestData.idList(
                TokenizerTestData.require("reference/eval/tokenizer/tiny-shakespeare-256-heldout.stories260K.ids"));
        tok.encodeUtf8(text, true, false); // warm-up
        long t0 = CpuTime.now(); // CPU time: the build machine is shared
        int[] actual = tok.encodeUtf8(text, true, false);
        double seconds = (CpuTime.now() - t0) / 1e9;
        assertEquals(70_030, expected.length);
        assertArrayEquals(expected, actual);
        assertTrue(seconds < 2.0, "tokenizing " + text.length + " bytes took " + seconds + " s");
        System.err.printf("stories260K: %d bytes -> %d tokens in %.3f s%n", text.length, actual.length, seconds);
    }

    @Test
    void tinyStoriesSampleMatchesLlamaTokenize() throws Exception {
        Tokenizer tok = TokenizerTestData.tokenizer(TokenizerTestData.require("models/stories260K.gguf"));
        Path file = TokenizerTestData.require("text/tinystories_sample.txt");
        int[] expected = TokenizerTestData.idList(
                TokenizerTestData.require("reference/eval/tokenizer/tinystories_sample.stories260K.ids"));
        assertEquals(1_883, expected.length);
        assertArrayEquals(expected, tok.encodeUtf8(Files.readAllBytes(file), true, false));
        assertArrayEquals(expected, tok.encode(Files.readString(file), true, false));
    }
}
