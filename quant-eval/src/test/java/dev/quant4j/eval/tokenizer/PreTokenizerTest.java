package dev.quant4j.eval.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pre-token boundaries worked out by hand from the regexes (leftmost-first alternation, each regex refining the
 * pieces of the previous one). default and falcon have no reference vocabulary in shared/, so these are their check.
 */
class PreTokenizerTest {
    private static List<String> words(String pre, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] cps = Utf8.decode(b, 0, b.length);
        SplitText st = new SplitText(cps);
        Ints pieces = new Ints(1);
        pieces.add(cps.length);
        for (Split s : PreTokenizers.of(pre).splits()) {
            pieces = s.apply(st, pieces);
        }
        List<String> out = new ArrayList<>();
        int pos = 0;
        for (int i = 0; i < pieces.size(); i++) {
            out.add(new String(cps, pos, pieces.get(i)));
            pos += pieces.get(i);
        }
        return out;
    }

    @Test
    void gpt2() {
        assertEquals(List.of("Hello", ",", " world", "!!", "  ", " 12345", "\n"),
                words("gpt-2", "Hello, world!!   12345\n"));
        assertEquals(List.of("IT", "'", "S", " it", "'s"), words("gpt-2", "IT'S it's"));
    }

    @Test
    void llama3AndQwen2() {
        assertEquals(List.of("I", "'m", " HAPPY", " ", "123", "45", "!!\n\n", " ", " xIT", "'S"),
                words("llama-bpe", "I'm HAPPY 12345!!\n\n  xIT'S"));
        assertEquals(List.of("I", "'m", " ", "1", "2", "3", "4", "5"), words("qwen2", "I'm 12345"));
    }

    @Test
    void defaultAndFalcon() {
        assertEquals(List.of("Hello", ",", " world", "!", " ", "123", "45"),
                words("default", "Hello, world! 12345"));
        assertEquals(List.of("x", " ", "=", " ", "123", "4", ";"), words("falcon", "x = 1234;"));
    }

    @Test
    void starcoderSplitsEveryDigit() {
        assertEquals(List.of("x", " ", "1", "2", " +", " y"), words("starcoder", "x 12 + y"));
    }

    @Test
    void deepseekCoderSplitsCjkRunsOffTheirSpace() {
        // \s?\p{L}+ takes " 中文" (Lo letters), then the CJK-range regex refines it into " " and "中文"
        assertEquals(List.of("a", "\n", " ", "中文", "1", "2"), words("deepseek-coder", "a\n 中文12"));
    }

    @Test
    void everySupportedNameResolvesAndOthersAreRefused() {
        for (String name : PreTokenizers.names()) {
            assertTrue(!PreTokenizers.of(name).splits().isEmpty(), name);
        }
        assertThrows(TokenizerException.class, () -> PreTokenizers.of("tekken"));
        assertEquals("default", PreTokenizers.of("").kind());
    }

    @Test
    void unicodeTablesAreLlamaCppsUnicode151() {
        assertEquals(CodepointFlags.UNDEFINED, CodepointFlags.of(0x0897), "added in Unicode 16.0");
        assertEquals(CodepointFlags.UNDEFINED, CodepointFlags.of(0x1FBEF), "added in Unicode 16.0");
        assertEquals(CodepointFlags.LETTER, CodepointFlags.of(0x00B5));
        assertEquals(CodepointFlags.SEPARATOR | CodepointFlags.WHITESPACE, CodepointFlags.of(0x00A0));
        assertEquals(CodepointFlags.CONTROL | CodepointFlags.WHITESPACE, CodepointFlags.of(0x0085));
        assertEquals(CodepointFlags.CONTROL, CodepointFlags.of(0xE000));
        assertEquals(CodepointFlags.SYMBOL, CodepointFlags.of(0x1F600));
        assertEquals(CodepointFlags.UNDEFINED, CodepointFlags.of(0x0378));
        assertEquals(CodepointFlags.UNDEFINED, CodepointFlags.of(0x110000));
    }
}
