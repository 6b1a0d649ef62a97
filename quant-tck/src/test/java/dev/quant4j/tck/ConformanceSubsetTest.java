package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bundled conformance subset is intact (its SHA256SUMS), small, covers every type, and each of its cases is
 * the first rows of the matching llama.cpp case in shared/vectors (checked when shared/ is present).
 */
class ConformanceSubsetTest {
    private static final Path SUMS = ConformanceVectors.bundled("SHA256SUMS").orElseThrow();

    @Test
    void everyFileMatchesItsChecksumAndTheSubsetStaysSmall() throws Exception {
        List<String> lines = Files.readAllLines(SUMS);
        long total = 0;
        for (String line : lines) {
            String digest = line.substring(0, 64);
            Path file = SUMS.resolveSibling(line.substring(66));
            byte[] data = Files.readAllBytes(file);
            total += data.length;
            assertEquals(digest, sha256(data), file + " does not match SHA256SUMS (rerun tools/make-conformance-subset.py)");
        }
        assertTrue(total <= 5L << 20, "subset is " + total + " bytes, over 5 MB");
        assertTrue(lines.stream().filter(l -> l.endsWith("/cases.json")).count() >= 20, "a folder per ggml type");
    }

    @Test
    void everyCaseIsThePrefixOfTheFullReferenceCase() throws IOException {
        Path full = SharedData.require("vectors");
        try (Stream<Path> types = Files.list(SUMS.getParent())) {
            for (Path t : types.filter(Files::isDirectory).toList()) {
                String type = t.getFileName().toString().replace("/", "");
                List<GgmlVectorCase> subset = GgmlVectorCase.load(t);
                List<GgmlVectorCase> reference = GgmlVectorCase.load(full.resolve(type));
                assertEquals(reference.stream().map(GgmlVectorCase::name).toList(),
                        subset.stream().map(GgmlVectorCase::name).toList(), type + ": every case, in order");
                for (int i = 0; i < subset.size(); i++) {
                    GgmlVectorCase s = subset.get(i);
                    GgmlVectorCase r = reference.get(i);
                    assertEquals(r.rowLength(), s.rowLength(), s.toString());
                    assertTrue(s.rows() >= 1 && s.rows() <= r.rows(), s.toString());
                    assertArrayEquals(Arrays.copyOf(r.inputFloats(), s.rows() * s.rowLength()), s.inputFloats(), s + " input");
                    assertArrayEquals(Arrays.copyOf(r.expectedDequant(), s.rows() * s.rowLength()), s.expectedDequant(), s + " dequant");
                    byte[] rb = r.expectedBytes();
                    assertArrayEquals(Arrays.copyOf(rb, rb.length / r.rows() * s.rows()), s.expectedBytes(), s + " bytes");
                    assertArrayEquals(r.importance(), s.importance(), s + " importance");
                }
            }
        }
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
