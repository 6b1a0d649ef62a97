package dev.quant4j.engine;

import dev.quant4j.api.error.CorruptFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --tensor-type-file}: UTF-8 lines of {@code REGEX=TYPE}; blank lines and lines starting with
 * {@code #} are skipped, surrounding white space is trimmed. The file's size is checked before it is read, so a
 * huge or wrong file fails at once; every error names the file, line and byte offset. The planner validates
 * the patterns and types themselves.
 */
public final class TensorTypeFile {
    /** Far more than any real list of patterns; a larger file is the wrong file. */
    public static final long MAX_BYTES = 1L << 20;
    /** llama.cpp's tensor names are under 64 bytes; patterns beyond this are not tensor patterns. */
    public static final int MAX_LINE_CHARS = 4096;

    private TensorTypeFile() {
    }

    /** The {@code REGEX=TYPE} entries of {@code file}, in order. */
    public static List<String> read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new CorruptFormatException(file, 0, "size", size + " bytes; a tensor type file holds REGEX=TYPE "
                    + "lines and is at most " + MAX_BYTES + " bytes (is this the right file?)");
        }
        return parse(file, Files.readAllBytes(file));
    }

    /** Parses the bytes of a tensor type file; {@code file} names it in errors. */
    public static List<String> parse(Path file, byte[] bytes) throws CorruptFormatException {
        if (bytes.length > MAX_BYTES) {
            throw new CorruptFormatException(file, 0, "size", bytes.length + " bytes; at most " + MAX_BYTES);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> entries = new ArrayList<>();
        int start = 0;
        int lineNo = 1;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            String line;
            try {
                CharBuffer cb = utf8.decode(ByteBuffer.wrap(bytes, start, end - start));
                line = cb.toString().strip();
            } catch (CharacterCodingException e) {
                throw new CorruptFormatException(file, start, "line " + lineNo, "not valid UTF-8");
            }
            if (!line.isEmpty() && !line.startsWith("#")) {
                if (line.length() > MAX_LINE_CHARS) {
                    throw new CorruptFormatException(file, start, "line " + lineNo, line.length()
                            + " characters; a REGEX=TYPE line has at most " + MAX_LINE_CHARS);
                }
                int eq = line.lastIndexOf('=');
                if (eq <= 0 || eq == line.length() - 1) {
                    throw new CorruptFormatException(file, start, "line " + lineNo, "'" + printable(line)
                            + "' is not REGEX=TYPE (e.g. ffn_down=q6_k)");
                }
                entries.add(line);
            }
            start = end + 1;
            lineNo++;
        }
        return entries;
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder();
        t.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return b.toString();
    }
}
