package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole 1.1 MB tinyshakespeare.txt through each real vocabulary: tokenizing must take well under two seconds,
 * and detokenizing must give the text back (SentencePiece adds its leading space; byte-level BPE is lossless).
 */
class TokenizerSpeedAndRoundTripTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"models/stories260K.gguf", "models/ggml-vocab-llama-spm.gguf",
        "models/ggml-vocab-gpt-2.gguf", "reference/eval/tokenizer/ggml-vocab-gpt-2-pre-llama-bpe.gguf",
        "reference/eval/tokenizer/ggml-vocab-gpt-2-pre-deepseek-llm.gguf"})
    void wholeTextRoundTripsQuickly(String vocab) throws Exception {
        Tokenizer tok = TokenizerTestData.tokenizer(TokenizerTestData.require(vocab));
        Path file = TokenizerTestData.require("text/tinyshakespeare.txt");
        byte[] text = Files.readAllBytes(file);
        tok.encodeUtf8(text, false, false); // warm-up
        long t0 = CpuTime.now(); // CPU time: the build machine is shared
        int[] ids = tok.encodeUtf8(text, false, false);
        double seconds = (CpuTime.now() - t0) / 1e9;
        ByteArrayOutputStream back = new ByteArrayOutputStream(text.length + 1);
        for (int id : ids) {
            back.writeBytes(tok.pieceBytes(id));
        }
        String expected = (vocab.contains("gpt-2") ? "" : " ")
                + new String(text, StandardCharsets.UTF_8);
        assertEquals(expected, back.toString(StandardCharsets.UTF_8));
        // SentencePiece (the held-out text's tokenizer) must stay well under 2 s; regex pre-tokenizers get 5 s
        double limit = vocab.contains("gpt-2") ? 5.0 : 2.0;
        assertTrue(seconds < limit, vocab + ": " + text.length + " bytes took " + seconds + " s");
        System.err.printf("%s: %d bytes -> %d tokens in %.3f s%n", vocab, text.length, ids.length, seconds);
    }
}
