package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quant4j.api.error.CorruptFormatException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tensor-type-file} under hostile input. Jazzer: any bytes either parse into REGEX=TYPE entries (each
 * non-empty, with '=' inside, no line break) or fail with a {@link CorruptFormatException} whose offset is inside
 * the input. In verify the seeds in {@code TensorTypeFileFuzzTestInputs/parse/} are replayed; to fuzz:
 * {@code JAZZER_FUZZ=1 ./mvnw -o -B -pl quant-engine -am test -Dtest=TensorTypeFileFuzzTest#parse
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TensorTypeFileFuzzTest {
    private static final Path NAME = Path.of("types.txt");

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] input) {
        List<String> entries;
        try {
            entries = TensorTypeFile.parse(NAME, input);
        } catch (CorruptFormatException e) {
            if (e.offset() < 0 || e.offset() > input.length) {
                throw new AssertionError("error offset outside the input: " + e.getMessage(), e);
            }
            return;
        }
        for (String e : entries) {
            int eq = e.lastIndexOf('=');
            if (eq <= 0 || eq == e.length() - 1 || e.indexOf('\n') >= 0 || !e.equals(e.strip())) {
                throw new AssertionError("accepted a malformed entry: " + e);
            }
        }
    }

    @Test
    void errorsNameFileLineAndOffset() {
        byte[] bad = "# types\nffn_down=q6_k\n\nattn_v q8_0\n".getBytes(StandardCharsets.UTF_8);
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> TensorTypeFile.parse(NAME, bad));
        assertEquals("types.txt: corrupt at byte 23 (line 4): 'attn_v q8_0' is not REGEX=TYPE (e.g. ffn_down=q6_k)",
                e.getMessage());
        byte[] latin1 = {'a', '=', 'q', '8', '_', '0', '\n', 'b', (byte) 0xE9, '=', 'f', '1', '6'};
        assertEquals("types.txt: corrupt at byte 7 (line 2): not valid UTF-8",
                assertThrows(CorruptFormatException.class, () -> TensorTypeFile.parse(NAME, latin1)).getMessage());
        assertEquals(List.of("ffn_down=q6_k", "blk\\.1[0-9]\\.attn_v=q8_0"), assertDoesNotThrow(
                "ffn_down=q6_k\r\n  blk\\.1[0-9]\\.attn_v=q8_0  \n#x\n"));
    }

    private static List<String> assertDoesNotThrow(String s) throws AssertionError {
        try {
            return TensorTypeFile.parse(NAME, s.getBytes(StandardCharsets.UTF_8));
        } catch (CorruptFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** A 4 GB (sparse) file is refused by its size, before a byte is read or allocated. */
    @Test
    void hugeFileIsRefusedBeforeReading(@TempDir Path tmp) throws IOException {
        Path big = tmp.resolve("big.txt");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        long before = Allocation.current();
        long t0 = System.nanoTime();
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> TensorTypeFile.read(big));
        assertTrue((System.nanoTime() - t0) < 1_000_000_000L, "refused at once");
        assertTrue(Allocation.current() - before < 1 << 20, "allocated " + (Allocation.current() - before) + " bytes");
        assertTrue(e.getMessage().contains("4294967296 bytes; a tensor type file holds REGEX=TYPE lines"), e.getMessage());
    }
}
