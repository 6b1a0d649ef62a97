package dev.quant4j.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration and evaluation text ({@code -f FILE} of imatrix, perplexity, kld): arbitrary bytes, invalid UTF-8
 * included. The Jazzer target {@link #readAndTokenize} writes the input to a file and reads it as the commands
 * do: {@link EvalText#bytes} must give the file minus one trailing newline; {@link EvalText#read} must either
 * give a string whose UTF-8 is exactly those bytes or refuse with a {@link CorruptFormatException} at the first
 * byte the JDK's own decoder rejects; and the stories260K SentencePiece vocabulary (byte fallback) must
 * tokenize the bytes, invalid or not, into pieces that spell them back (after the space prefix; spaces compared
 * in their escaped form), as llama.cpp does. To fuzz: {@code JAZZER_FUZZ=1 ./mvnw -o -B -pl quant-eval -am test
 * -Dtest=EvalTextFuzzTest#readAndTokenize -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true}.
 */
class EvalTextFuzzTest {
    private static final Tokenizer STORIES = stories();
    private static final Path FILE = scratch();

    @FuzzTest(maxDuration = "5m")
    void readAndTokenize(byte[] input) throws IOException {
        Files.write(FILE, input);
        byte[] text = EvalText.bytes(FILE);
        byte[] expected = input.length > 0 && input[input.length - 1] == '\n'
                ? Arrays.copyOf(input, input.length - 1) : input;
        assertArrayEquals(expected, text);
        long bad = EvalText.malformedAt(text);
        try {
            String s = EvalText.read(FILE);
            assertEquals(-1, bad);
            assertArrayEquals(text, s.getBytes(StandardCharsets.UTF_8));
        } catch (CorruptFormatException e) {
            assertEquals(bad, e.offset());
            // independent truth: the JDK's replacing decoder round-trips exactly the valid prefix, not one byte more
            byte[] prefix = Arrays.copyOf(text, (int) bad);
            assertArrayEquals(prefix, new String(prefix, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
            if (Arrays.equals(text, new String(text, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))) {
                throw new AssertionError("EvalText refused valid UTF-8 at byte " + bad);
            }
        }
        if (STORIES == null) {
            return;
        }
        int[] ids;
        try {
            ids = STORIES.encodeUtf8(text, false, false);
        } catch (QuantException e) {
            return;
        }
        ByteArrayOutputStream spelled = new ByteArrayOutputStream();
        for (int id : ids) {
            spelled.writeBytes(STORIES.pieceBytes(id));
        }
        if (text.length > 0) {
            // SentencePiece escapes spaces to U+2581 before splitting the bytes into UTF-8-length symbols, so a
            // malformed lead byte can swallow part of an escaped space, which then comes back as byte tokens
            // (llama.cpp does the same); compare the escaped forms
            byte[] prefixed = new byte[text.length + 1];
            prefixed[0] = ' ';
            System.arraycopy(text, 0, prefixed, 1, text.length);
            byte[] want = escapeSpaces(prefixed);
            byte[] got = escapeSpaces(spelled.toByteArray());
            assertArrayEquals(want, got, () -> "stories260K pieces " + Arrays.toString(ids) + " spell "
                    + Arrays.toString(got) + ", not " + Arrays.toString(want));
        }
    }

    private static byte[] escapeSpaces(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length * 3);
        for (byte x : b) {
            if (x == ' ') {
                out.writeBytes("\u2581".getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(x);
            }
        }
        return out.toByteArray();
    }

    /** The error names the file and the byte offset of the first malformed sequence; a trailing newline goes. */
    @Test
    void invalidUtf8NamesFileAndOffset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("calib.txt");
        Files.write(f, new byte[] {'h', 'i', ' ', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xE2, (byte) 0x82, 'x', '\n'});
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> EvalText.read(f));
        assertEquals(6, e.offset());
        assertEquals(f + ": corrupt at byte 6 (text): not valid UTF-8 (byte 0xe2)", e.getMessage());
        assertEquals(f + ": not valid UTF-8 at byte 6; the malformed bytes are tokenized as they are, as llama.cpp does",
                EvalText.warning(f, EvalText.bytes(f)));
        assertEquals(9, EvalText.bytes(f).length);
        // a sequence cut by the end of the file, a lone continuation byte, an encoded surrogate, an overlong form
        assertEquals(1, EvalText.malformedAt(new byte[] {'a', (byte) 0xF0, (byte) 0x9F}));
        assertEquals(0, EvalText.malformedAt(new byte[] {(byte) 0x80}));
        assertEquals(0, EvalText.malformedAt(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertEquals(0, EvalText.malformedAt(new byte[] {(byte) 0xC0, (byte) 0xAF}));
        Files.writeString(f, "caf\u00e9 \ud83d\ude00\n\n");
        assertEquals("caf\u00e9 \ud83d\ude00\n", EvalText.read(f));
        assertNull(EvalText.warning(f, EvalText.bytes(f)));
    }

    /** Malformed bytes reach the tokenizer as they are: SentencePiece byte fallback gives their byte tokens. */
    @Test
    void invalidBytesBecomeByteTokens(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(STORIES != null, "shared/models/stories260K.gguf is absent; skipping");
        Path f = dir.resolve("calib.txt");
        Files.write(f, new byte[] {'a', (byte) 0xFF, 'b'});
        int[] ids = STORIES.encodeUtf8(EvalText.bytes(f), false, false);
        boolean sawByte = false;
        for (int id : ids) {
            byte[] p = STORIES.pieceBytes(id);
            sawByte |= p.length == 1 && p[0] == (byte) 0xFF;
        }
        assertEquals(true, sawByte, "no <0xFF> byte token in " + Arrays.toString(ids));
    }

    private static Tokenizer stories() {
        Path model = shared().resolve("models/stories260K.gguf");
        if (!Files.exists(model)) {
            return null;
        }
        QuantRegistry registry = QuantRegistry.load(EvalTextFuzzTest.class.getClassLoader());
        try (ModelReader r = registry.format("gguf").open(model)) {
            return Tokenizers.fromMetadata(r.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path shared() {
        String prop = System.getProperty("quant4j.shared");
        return Path.of(prop != null ? prop : "../shared");
    }

    private static Path scratch() {
        try {
            Path f = Files.createTempFile("quant4j-evaltext-fuzz", ".txt");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
