package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SentencePiece in blocks cut after barrier newlines ({@link SpmEncoder#cutAfter}) and
 * {@link Tokenizer#encodeUtf8Prefix}: the tokens are those of one merge loop over the whole text (the algorithm
 * before blocks, run here directly), and a prefix is exactly the start of the whole encoding. The whole-file
 * comparisons with llama-tokenize (StoriesTokenizationTest) run through the same block path.
 */
class TokenizerPrefixTest {
    private static final String ESCAPED_SPACE = "\u00E2\u0096\u0081";

    @Test
    void llamaAndStoriesVocabulariesCutAtNewlines() throws Exception {
        for (String model : new String[] {"models/ggml-vocab-llama-spm.gguf", "models/stories260K.gguf"}) {
            Vocabulary v = VocabularyLoader.load(TokenizerTestData.metadata(TokenizerTestData.require(model)));
            assertTrue(new SpmEncoder(v).newlineIsBarrier, model);
        }
    }

    /** A vocabulary with a token of two newlines: no cuts, the whole text in one loop, also for a prefix. */
    @Test
    void aVocabularyWithANewlineTokenIsNotCut() throws Exception {
        Vocabulary v = VocabularyLoader.load(TokenizerTestData.metadata(
                TokenizerTestData.require("models/stories260K.gguf")));
        String[] text = v.text.clone();
        int victim = text.length - 1; // a normal piece, now "\n\n"
        assertEquals(TokenAttr.NORMAL, v.attr[victim]);
        text[victim] = "\n\n";
        Vocabulary withNewlines = new Vocabulary(v.type, v.pre, text, v.score, v.attr, v.special, v.flags,
                v.specialTokens, v.mergeRanks, v.mergeResult, v.preTokenizer, new TokenIndex(text));
        assertFalse(new SpmEncoder(withNewlines).newlineIsBarrier);
        byte[] shakespeare = shakespeare();
        Tokenizer tok = new GgufTokenizer(withNewlines);
        int[] whole = oneLoop(withNewlines, shakespeare);
        assertTrue(Arrays.stream(whole).anyMatch(id -> id == victim), "the new token is used");
        assertArrayEquals(whole, tok.encodeUtf8(shakespeare, true, false));
        assertArrayEquals(whole, tok.encodeUtf8Prefix(shakespeare, true, false, 1000));
    }

    @Test
    void blocksGiveTheWholeLoopsTokens() throws Exception {
        Vocabulary v = VocabularyLoader.load(TokenizerTestData.metadata(
                TokenizerTestData.require("models/ggml-vocab-llama-spm.gguf")));
        byte[] text = shakespeare();
        assertArrayEquals(oneLoop(v, text), new GgufTokenizer(v).encodeUtf8(text, true, false));

        // newlines beside malformed and multi-byte UTF-8, spaces and runs of newlines: where a lead byte may swallow
        // the newline, the block must not be cut there
        SplittableRandom r = new SplittableRandom(11);
        String[] parts = {"\n", "\n\n", " ", "a", "é", "\u2581", "→", "\uD83D\uDE00", "ab cd", "\n \n"};
        int[] raw = {0xC3, 0xE2, 0xF0, 0x80, 0xFF, 0xED};
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int n = 2000 + r.nextInt(8000);
            while (b.size() < n) {
                if (r.nextInt(6) == 0) {
                    b.write(raw[r.nextInt(raw.length)]);
                } else {
                    b.writeBytes(parts[r.nextInt(parts.length)].getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] t = b.toByteArray();
            int[] whole = oneLoop(v, t);
            GgufTokenizer tok = new GgufTokenizer(v);
            assertArrayEquals(whole, tok.encodeUtf8(t, true, false), "round " + round);
            assertPrefixes(tok, t, whole);
        }
    }

    @Test
    void prefixesAreTheStartOfTheWholeEncoding() throws Exception {
        for (String model : new String[] {"models/ggml-vocab-llama-spm.gguf", "models/stories260K.gguf",
            "models/ggml-vocab-gpt-2.gguf"}) {
            Tokenizer tok = TokenizerTestData.tokenizer(TokenizerTestData.require(model));
            byte[] text = shakespeare();
            assertPrefixes(tok, text, tok.encodeUtf8(text, true, false));
        }
    }

    private static void assertPrefixes(Tokenizer tok, byte[] text, int[] whole) {
        for (int min : new int[] {0, 1, 2, 511, 1024, 1536, 5000, whole.length - 1, whole.length,
            whole.length + 1, Integer.MAX_VALUE}) {
            int[] prefix = tok.encodeUtf8Prefix(text, true, false, min);
            assertTrue(prefix.length >= Math.min(min, whole.length), min + ": " + prefix.length);
            assertArrayEquals(Arrays.copyOf(whole, prefix.length), prefix, "minTokens " + min);
        }
        int[] half = tok.encodeUtf8Prefix(text, true, false, whole.length / 2);
        if (tok instanceof GgufTokenizer g && g.cutsAtNewlines() && whole.length > 8000) {
            assertFalse(half.length == whole.length, "a long text's first half should not need all of it");
        }
    }

    private static byte[] shakespeare() throws Exception {
        return Files.readAllBytes(TokenizerTestData.require("reference/trained/tiny-shakespeare-256-heldout.txt"));
    }

    /**
     * The SentencePiece tokens of {@code utf8} (no special tokens in it) by one merge loop over the whole escaped
     * text, BOS first: the encoding before blocks.
     */
    private static int[] oneLoop(Vocabulary v, byte[] utf8) {
        Ints out = new Ints(16);
        out.add(v.special.bos());
        String text = new String(utf8, StandardCharsets.ISO_8859_1);
        new SpmEncoder(v).encode(((v.flags.addSpacePrefix() ? " " : "") + text).replace(" ", ESCAPED_SPACE), out);
        return out.toArray();
    }
}
