package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The inlined tables, written in the format of spec/tables (one decimal per line, final newline), hash to the
 * SHA-256 sums published in spec/tables/README.md; where shared/ is present the files hash the same.
 */
class SimpleTablesTest {
    private static final String KVALUES_IQ4NL = "2d6a4f3d3a9ee36bce8c78e4f2641381e2630c89cc046be0c8a23bc3a5cf8601";
    private static final String KVALUES_MXFP4 = "1bd6290c462849939481849aabc017ff4917d458e4a08a88c1d10e9db5a142ed";
    private static final String POW3 = "00fdfd3b7a54c0aa0e87accef1b1a2c06f21360bd34f3ac8fccf9f591e4b4ba8";

    @Test
    void inlinedTablesMatchPublishedChecksums() {
        assertEquals(KVALUES_IQ4NL, sha256(lines(SimpleTables.kvaluesIq4nl())));
        assertEquals(KVALUES_MXFP4, sha256(lines(SimpleTables.kvaluesMxfp4())));
        assertEquals(POW3, sha256(lines(SimpleTables.pow3())));
    }

    @Test
    void sharedTableFilesMatchTheSameChecksums() throws IOException {
        Path dir = SharedData.require("spec/tables");
        assertEquals(KVALUES_IQ4NL, sha256(Files.readString(dir.resolve("kvalues_iq4nl.txt"))));
        assertEquals(KVALUES_MXFP4, sha256(Files.readString(dir.resolve("kvalues_mxfp4.txt"))));
        assertEquals(POW3, sha256(Files.readString(dir.resolve("pow3.txt"))));
    }

    private static String lines(byte[] values) {
        StringBuilder sb = new StringBuilder();
        for (byte v : values) {
            sb.append(v).append('\n');
        }
        return sb.toString();
    }

    private static String lines(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            sb.append(v).append('\n');
        }
        return sb.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
