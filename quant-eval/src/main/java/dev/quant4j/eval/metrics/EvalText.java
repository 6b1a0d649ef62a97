package dev.quant4j.eval.metrics;

import dev.quant4j.api.error.CorruptFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The text llama-perplexity and llama-imatrix evaluate for {@code -f FILE}: the whole file, with one trailing
 * newline removed (common/arg.cpp); no escape processing (both tools turn it off).
 *
 * <p>Invalid UTF-8: llama.cpp reads the file as bytes and its tokenizer takes malformed sequences as they are,
 * so {@link #bytes} returns the raw bytes for {@code Tokenizer.encodeUtf8} (the same tokens as llama.cpp), and
 * {@link #malformedAt} finds the first bad byte so the caller can warn about it. {@link #read}, which must give
 * a Java string, refuses such a file with the byte offset rather than silently substituting U+FFFD.
 */
public final class EvalText {
    private EvalText() {
    }

    /** The file's bytes without one trailing newline, malformed UTF-8 kept as it is (as llama.cpp). */
    public static byte[] bytes(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return b.length > 0 && b[b.length - 1] == '\n' ? Arrays.copyOf(b, b.length - 1) : b;
    }

    /**
     * The text as a string.
     *
     * @throws CorruptFormatException naming the file and the offset of the first byte that is not valid UTF-8
     */
    public static String read(Path file) throws IOException {
        byte[] b = bytes(file);
        long bad = malformedAt(b);
        if (bad >= 0) {
            throw new CorruptFormatException(file, bad, "text", "not valid UTF-8 (byte 0x"
                    + String.format("%02x", b[(int) bad] & 0xff) + ")");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The offset of the first byte of the first malformed UTF-8 sequence in {@code b}, or -1 when it is valid. */
    public static long malformedAt(byte[] b) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        return -1; // endOfInput = true: a sequence cut at the end is reported as malformed above
    }

    /** The warning a command prints for a text file that is not valid UTF-8, or null when it is valid. */
    public static String warning(Path file, byte[] text) {
        long bad = malformedAt(text);
        return bad < 0 ? null : file + ": not valid UTF-8 at byte " + bad
                + "; the malformed bytes are tokenized as they are, as llama.cpp does";
    }
}
