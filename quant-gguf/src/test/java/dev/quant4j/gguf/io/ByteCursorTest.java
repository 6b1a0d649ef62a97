package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.MetaValue;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cursor's heap window and its own strict UTF-8 check, against independent truth: the JDK's strict decoder,
 * and headers whose values straddle the window's refills.
 */
class ByteCursorTest {
    @TempDir
    Path tmp;

    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * Every 1- and 2-byte sequence, every 3-byte one from a lead byte with the third byte at each boundary of the
     * continuation range, and 300000 random 4-to-6-byte ones, judged as the JDK's strict decoder does.
     */
    @Test
    void strictUtf8AgreesWithTheJdkDecoder() {
        byte[] b = new byte[6];
        for (int v = 0; v < 1 << 16; v++) {
            b[0] = (byte) v;
            b[1] = (byte) (v >>> 8);
            assertAgrees(b, 1);
            assertAgrees(b, 2);
        }
        for (int lead = 0xC0; lead <= 0xFF; lead++) {
            for (int second = 0; second < 256; second++) {
                for (int third : new int[] {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}) {
                    b[0] = (byte) lead;
                    b[1] = (byte) second;
                    b[2] = (byte) third;
                    assertAgrees(b, 3);
                }
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++) {
            int len = 4 + r.nextInt(3);
            for (int k = 0; k < len; k++) {
                int lead = r.nextInt(4);  // favour leads and continuations, where the rules are
                b[k] = (byte) (lead == 0 ? 0xF0 + r.nextInt(8) : lead == 1 ? 0x80 + r.nextInt(64) : r.nextInt(256));
            }
            assertAgrees(b, len);
        }
    }

    private void assertAgrees(byte[] b, int len) {
        boolean jdk;
        try {
            strict.reset().decode(ByteBuffer.wrap(b, 0, len));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        if (jdk != ByteCursor.isStrictUtf8(b, 0, len)) {
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < len; k++) {
                s.append(String.format("%02x ", b[k]));
            }
            throw new AssertionError("JDK says " + (jdk ? "valid" : "invalid") + " for " + s);
        }
    }

    /**
     * A header of several windows: strings and numbers of every width cut by each refill, one string longer than a
     * window, all read back as written; a malformed string after them is still reported at its own offset.
     */
    @Test
    void valuesAcrossWindowRefills() throws Exception {
        List<String> strings = new ArrayList<>();
        RawGguf g = RawGguf.header(3, 0, 4);
        g.str("many").u32(9).u32(8).u64(300_000);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 300_000; i++) {
            String s = "t" + i + (i % 3 == 0 ? "\u2581é" : "") + (i % 7 == 0 ? "\uD83D\uDE00" : "");
            strings.add(s);
            g.str(s);
        }
        g.str("numbers").u32(9).u32(10).u64(200_000); // uint64s: 1.6 MB, crossing the next refill at odd offsets
        long[] numbers = new long[200_000];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = r.nextLong();
            g.u64(numbers[i]);
        }
        String big = "x".repeat(ByteCursor.WINDOW + 3) + "ü";
        g.kvStr("big", big);
        g.str("last").u32(4).u32(0xDEADBEEFL); // uint32
        Path f = tmp.resolve("big.gguf");
        Files.write(f, g.toBytes());
        assertTrue(Files.size(f) > 3L * ByteCursor.WINDOW);
        try (ModelReader reader = GgufFiles.FORMAT.open(f)) {
            var md = reader.metadata();
            List<MetaValue> many = ((MetaValue.Array) md.get("many").orElseThrow()).values();
            for (int i = 0; i < strings.size(); i++) {
                assertEquals(strings.get(i), ((MetaValue.Text) many.get(i)).value());
            }
            List<MetaValue> nums = ((MetaValue.Array) md.get("numbers").orElseThrow()).values();
            for (int i = 0; i < numbers.length; i++) {
                assertEquals(numbers[i], ((MetaValue.Int) nums.get(i)).value());
            }
            assertEquals(big, ((MetaValue.Text) md.get("big").orElseThrow()).value());
            assertEquals(0xDEADBEEFL, ((MetaValue.Int) md.get("last").orElseThrow()).value());
        }

        RawGguf bad = RawGguf.header(3, 0, 2).kvStr("pad", "p".repeat(ByteCursor.WINDOW - 40));
        int at = bad.size();
        bad.u64(3).bytes('a', 0xED, 0xA0).u32(4).u32(0); // a surrogate's lead, split by the window's end
        Path b = tmp.resolve("bad.gguf");
        Files.write(b, bad.toBytes());
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> GgufFiles.FORMAT.open(b).close());
        assertEquals(at, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    /** Reads beyond the end fail before any copy, also when the window would reach past it. */
    @Test
    void truncatedFileFailsAtTheField() {
        byte[] bytes = RawGguf.header(3, 0, 1).str("k").u32(10).toBytes(); // uint64 value missing
        ByteCursor c = new ByteCursor(Path.of("t.gguf"), MemorySegment.ofArray(bytes));
        assertThrows(CorruptFormatException.class, () -> {
            c.u64("a");
            c.u64("b");
            c.u64("c");
            c.u64("d");
            c.u64("e");
        });
    }
}
