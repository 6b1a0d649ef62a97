package dev.quant4j.safetensors.io;

import static dev.quant4j.safetensors.io.RawSafetensors.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of the reader broken once by a hand-made file: the error names the file, the field and the problem. */
class HostileInputTest {
    @TempDir
    Path tmp;

    private int n;

    private CorruptFormatException fails(byte[] bytes, String field, String problem) throws Exception {
        Path f = tmp.resolve("case" + n++ + ".safetensors");
        Files.write(f, bytes);
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> SafetensorsReader.open(f).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": corrupt at byte ") && m.contains(field) && m.contains(problem), m);
        assertEquals(f, e.file());
        assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, m);
        return e;
    }

    private CorruptFormatException fails(String header, int data, String field, String problem) throws Exception {
        return fails(RawSafetensors.of(header, data), field, problem);
    }

    @Test
    void headerLength() throws Exception {
        fails(new byte[5], "header length", "too short");
        fails(RawSafetensors.of(1000, "{}".getBytes(StandardCharsets.UTF_8), 0), "header length", "1000");
        fails(RawSafetensors.of(-1, "{}".getBytes(StandardCharsets.UTF_8), 0), "header length",
                "18446744073709551615");
        fails(RawSafetensors.of(200_000_000L, new byte[16], 0), "header length", "200000000");
        fails(RawSafetensors.of(1, "{".getBytes(StandardCharsets.UTF_8), 0), "header length", "between 2");
    }

    @Test
    void badJson() throws Exception {
        fails("{\"a\":", 0, "header JSON", "unexpected end");
        fails("[1,2]", 0, "header JSON", "array, not an object");
        fails("{\"a\":1}x", 0, "header JSON", "trailing data");
        fails("{'a':1}", 0, "header JSON", "expected a string key");
        fails("[".repeat(100) + "]".repeat(100), 0, "header JSON", "nesting deeper than 64");
        fails(RawSafetensors.of(4, new byte[] {'{', '"', (byte) 0xC3, '"'}, 0), "header", "not valid UTF-8");
        fails("{\"__metadata__\":{\"format\":1}}", 0, "__metadata__.format", "strings");
        fails("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8, "header JSON",
                "duplicate key \"a\"");
    }

    @Test
    void tensorFields() throws Exception {
        fails("{" + t("w", "Q4", "[1]", 0, 4) + "}", 4, "tensor 'w'", "dtype Q4 is not supported");
        fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor 'w'", "data_offsets");
        fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4, "tensor 'w'", "unknown field");
        fails("{" + t("w", "F32", "[-1]", 0, 4) + "}", 4, "tensor 'w'", "non-negative integers");
        fails("{" + t("w", "F32", "[1.5]", 0, 4) + "}", 4, "tensor 'w'", "non-negative integers");
        fails("{" + t("w", "F32", "[0]", 0, 0) + "}", 0, "tensor 'w'", "empty");
        fails("{" + t("w", "F32", "[1,1,1,1,1]", 0, 4) + "}", 4, "tensor 'w'", "at most 4");
        fails("{" + t("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4, "tensor 'w'", "overflows");
    }

    @Test
    void sizeMismatch() throws Exception {
        fails("{" + t("w", "F32", "[3]", 0, 8) + "}", 8, "tensor 'w'", "needs 12 bytes but data_offsets [0, 8) hold 8");
        fails("{" + t("w", "BF16", "[2,2]", 0, 16) + "}", 16, "tensor 'w'", "needs 8 bytes");
    }

    @Test
    void offsets() throws Exception {
        fails("{" + t("w", "F32", "[1]", 4, 0) + "}", 4, "tensor 'w'", "reversed");
        fails("{" + t("w", "F32", "[4]", 0, 16) + "}", 8, "tensor 'w'", "past the end");
        fails("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12, "tensor 'b'", "overlap");
        fails("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", 12, "tensor 'b'", "gap");
        fails("{" + t("a", "F32", "[1]", 0, 4) + "}", 12, "data section", "cover 4 bytes but the data section has 12");
    }

    @Test
    void indexProblems() throws Exception {
        Files.write(tmp.resolve("a.safetensors"), RawSafetensors.of("{" + t("x", "F32", "[1]", 0, 4) + "}", 4));
        Files.write(tmp.resolve("b.safetensors"), RawSafetensors.of("{" + t("x", "F32", "[1]", 0, 4) + "}", 4));
        assertIndex("{\"weight_map\":{\"x\":\"missing.safetensors\"}}", "tensor 'x' is in \"missing.safetensors\", which does not exist");
        assertIndex("{\"weight_map\":{\"x\":\"../a.safetensors\"}}", "not a plain file name");
        assertIndex("{\"weight_map\":{\"x\":\"a.safetensors\",\"y\":\"b.safetensors\"}}", "duplicate tensor name");
        assertIndex("{\"weight_map\":{\"x\":\"a.safetensors\",\"z\":\"a.safetensors\"}}", "tensor 'z' is listed in a.safetensors but that file does not hold it");
        assertIndex("{\"metadata\":{}}", "no \"weight_map\"");
        assertIndex("{\"weight_map\":{}}", "lists no tensor");
        assertIndex("{\"weight_map\":{\"x\":\"a.safetensors\",\"x\":\"a.safetensors\"}}", "duplicate key");
    }

    private void assertIndex(String json, String problem) throws Exception {
        Path index = tmp.resolve(ModelFiles.INDEX);
        Files.writeString(index, json);
        CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> SafetensorsReader.open(tmp).close());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void validMinimalFileOpens() throws Exception {
        Path f = tmp.resolve("ok.safetensors");
        Files.write(f, RawSafetensors.of("{\"__metadata__\":{\"format\":\"pt\"}," + t("b", "I8", "[]", 4, 5) + ","
                + t("a", "F32", "[1]", 0, 4) + "}", 5));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertEquals(java.util.List.of("a", "b"), r.tensors().stream().map(x -> x.name()).toList());
            assertEquals("pt", r.metadata().getString("format").orElseThrow());
        }
    }
}
