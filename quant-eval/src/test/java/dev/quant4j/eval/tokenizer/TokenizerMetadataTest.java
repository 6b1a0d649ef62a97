package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tiny hand-made vocabularies whose ids are worked out by hand from llama.cpp's rules, and malformed metadata,
 * which must be refused with the key and index named.
 */
class TokenizerMetadataTest {
    private static MetaValue strings(List<String> s) {
        return new MetaValue.Array(MetaType.STRING, s.stream().map(x -> (MetaValue) new MetaValue.Text(x)).toList());
    }

    private static MetaValue floats(List<Float> f) {
        return new MetaValue.Array(MetaType.FLOAT32,
                f.stream().map(x -> (MetaValue) new MetaValue.Real(MetaType.FLOAT32, x)).toList());
    }

    private static MetaValue ints(List<Integer> v) {
        return new MetaValue.Array(MetaType.INT32,
                v.stream().map(x -> (MetaValue) new MetaValue.Int(MetaType.INT32, x)).toList());
    }

    /** <unk> <s> </s>, 256 byte tokens (ids 3..258), then ▁ a b ▁a ab ▁ab with the given scores. */
    private static Metadata spm() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            scores.add(0f);
            types.add(6);
        }
        String[] pieces = {"▁", "a", "b", "▁a", "ab", "▁ab"};
        float[] score = {-1f, -2f, -3f, -0.5f, -0.1f, -5f};
        for (int i = 0; i < pieces.length; i++) {
            tokens.add(pieces[i]);
            scores.add(score[i]);
            types.add(1);
        }
        return Metadata.empty().with("tokenizer.ggml.model", MetaValue.text("llama"))
                .with("tokenizer.ggml.tokens", strings(tokens)).with("tokenizer.ggml.scores", floats(scores))
                .with("tokenizer.ggml.token_type", ints(types));
    }

    /** a b c Ġ ab abc Ġa (ids 0..6) with merges "a b", "ab c", "Ġ a". */
    private static Metadata bpe(String pre) {
        return Metadata.empty().with("tokenizer.ggml.model", MetaValue.text("gpt2"))
                .with("tokenizer.ggml.pre", MetaValue.text(pre))
                .with("tokenizer.ggml.tokens", strings(List.of("a", "b", "c", "Ġ", "ab", "abc", "Ġa")))
                .with("tokenizer.ggml.merges", strings(List.of("a b", "ab c", "Ġ a")));
    }

    @Test
    void spmMergesTheBestScoringPairFirstAndFallsBackToBytes() {
        Tokenizer tok = Tokenizers.fromMetadata(spm());
        // " ab" -> ▁ a b: "ab" (-0.1) beats "▁a" (-0.5); then "▁ab" (-5) is the only pair left
        assertArrayEquals(new int[] {264}, tok.encode("ab", false, false));
        // " ac" -> ▁ a c: "▁a" merges, 'c' is no token: byte 0x63 -> id 3 + 0x63
        assertArrayEquals(new int[] {262, 3 + 0x63}, tok.encode("ac", false, false));
        assertArrayEquals(new int[] {1, 264}, tok.encode("ab", true, false));
        assertTrue(tok.addsBos());
        assertEquals(" ab", tok.decode(tok.encode("ab", false, false)));
        assertEquals(" ac", tok.decode(tok.encode("ac", false, false)));
        assertArrayEquals("\n".getBytes(StandardCharsets.UTF_8), tok.pieceBytes(3 + 0x0A));
        assertArrayEquals("<s>".getBytes(StandardCharsets.UTF_8), tok.pieceBytes(1));
    }

    @Test
    void spmSplitsOutControlTokensOnlyWhenParsingSpecials() {
        Tokenizer tok = Tokenizers.fromMetadata(spm());
        // after a special token the next text gets the SentencePiece space prefix again
        assertArrayEquals(new int[] {264, 2, 264}, tok.encode("ab</s>ab", false, true));
        int[] plain = tok.encode("ab</s>", false, false);
        for (int id : plain) {
            assertTrue(id != 2, "</s> must stay text without parse_special");
        }
        assertEquals(" ab</s>", tok.decode(plain));
    }

    @Test
    void bpeMergesByRankOverByteLevelSymbols() {
        Tokenizer tok = Tokenizers.fromMetadata(bpe("gpt-2"));
        assertArrayEquals(new int[] {5}, tok.encode("abc", false, false));
        assertArrayEquals(new int[] {2, 4}, tok.encode("cab", false, false));
        // " a" is one pre-token: Ġ a -> Ġa; 'x' has no byte symbol and is dropped as in llama.cpp
        assertArrayEquals(new int[] {6}, tok.encode(" a", false, false));
        assertArrayEquals(new int[] {0}, tok.encode("ax", false, false));
        assertEquals(" a", new String(tok.pieceBytes(6), StandardCharsets.UTF_8));
        assertEquals(-1, tok.bos(), "llama.cpp's BPE default BOS 11 is out of range for 7 tokens");
        assertEquals(false, tok.addsBos());
    }

    @Test
    void unknownPreTokenizerIsRefusedByName() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(bpe("gpt-4o")));
        assertTrue(e.getMessage().contains("'gpt-4o'") && e.getMessage().contains("llama-bpe")
                && e.getMessage().contains("deepseek-coder"), e.getMessage());
    }

    @Test
    void unsupportedModelIsRefused() {
        Metadata md = spm().with("tokenizer.ggml.model", MetaValue.text("t5"));
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(md));
        assertTrue(e.getMessage().contains("'t5'") && e.getMessage().contains("gpt2"), e.getMessage());
        TokenizerException none = assertThrows(TokenizerException.class,
                () -> Tokenizers.fromMetadata(Metadata.empty()));
        assertTrue(none.getMessage().contains("tokenizer.ggml.model"), none.getMessage());
    }

    @Test
    void scoreAndTypeCountsMustMatchTheTokens() {
        Metadata shortScores = spm().with("tokenizer.ggml.scores", floats(List.of(0f, 0f)));
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(shortScores));
        assertTrue(e.getMessage().contains("tokenizer.ggml.scores has 2 entries")
                && e.getMessage().contains("has 265"), e.getMessage());
        Metadata shortTypes = spm().with("tokenizer.ggml.token_type", ints(List.of(1)));
        e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(shortTypes));
        assertTrue(e.getMessage().contains("tokenizer.ggml.token_type has 1 entries"), e.getMessage());
    }

    @Test
    void mergesMustReferToTokens() {
        Metadata unknown = bpe("gpt-2").with("tokenizer.ggml.merges", strings(List.of("a b", "x y")));
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(unknown));
        assertTrue(e.getMessage().contains("tokenizer.ggml.merges[1]") && e.getMessage().contains("'x'"),
                e.getMessage());
        Metadata noSpace = bpe("gpt-2").with("tokenizer.ggml.merges", strings(List.of("ab")));
        e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(noSpace));
        assertTrue(e.getMessage().contains("tokenizer.ggml.merges[0]"), e.getMessage());
        Metadata missing = bpe("gpt-2").without("tokenizer.ggml.merges");
        e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(missing));
        assertTrue(e.getMessage().contains("tokenizer.ggml.merges"), e.getMessage());
    }

    @Test
    void malformedTokensAreRefusedWithTheirIndex() {
        Metadata dup = bpe("gpt-2").with("tokenizer.ggml.tokens", strings(List.of("a", "b", "a")))
                .with("tokenizer.ggml.merges", strings(List.of()));
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(dup));
        assertTrue(e.getMessage().contains("tokenizer.ggml.tokens[2]") && e.getMessage().contains("[0]"),
                e.getMessage());
        Metadata surrogate = bpe("gpt-2").with("tokenizer.ggml.tokens", strings(List.of("a", "b\uD800")))
                .with("tokenizer.ggml.merges", strings(List.of()));
        e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(surrogate));
        assertTrue(e.getMessage().contains("tokenizer.ggml.tokens[1] is not valid Unicode"), e.getMessage());
        Metadata wrongType = spm().with("tokenizer.ggml.tokens", ints(List.of(1, 2)));
        e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(wrongType));
        assertTrue(e.getMessage().contains("'tokenizer.ggml.tokens' must be an array of string"), e.getMessage());
        List<Float> scores = new ArrayList<>(Collections.nCopies(265, 0f));
        scores.set(7, Float.NaN);
        Metadata nan = spm().with("tokenizer.ggml.scores", floats(scores));
        e = assertThrows(TokenizerException.class, () -> Tokenizers.fromMetadata(nan));
        assertTrue(e.getMessage().contains("tokenizer.ggml.scores[7] is NaN"), e.getMessage());
    }

    @Test
    void specialIdsOutOfRangeKeepTheDefaults() {
        Metadata md = spm().with("tokenizer.ggml.bos_token_id", new MetaValue.Int(MetaType.UINT32, 4294967295L))
                .with("tokenizer.ggml.eos_token_id", MetaValue.u32(262));
        Tokenizer tok = Tokenizers.fromMetadata(md);
        assertEquals(1, tok.bos());
        assertEquals(262, tok.eos());
        Tokenizer noBos = Tokenizers.fromMetadata(md.with("tokenizer.ggml.add_bos_token", new MetaValue.Bool(false)));
        assertArrayEquals(new int[] {264}, noBos.encode("ab", true, false));
    }
}
