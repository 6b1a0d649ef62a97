package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The combined checksum equals java.util.zip.CRC32C over the concatenated bytes. */
class Crc32cConcatTest {
    private static long crc(byte[] b, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(b, from, to - from);
        return c.getValue();
    }

    @Test
    void concatenationOfRandomSplitsMatchesTheWholeChecksum() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = new byte[rnd.nextInt(5000)];
            rnd.nextBytes(b);
            long combined = crc(b, 0, 0);
            int at = 0;
            while (at < b.length) {
                int next = Math.min(b.length, at + rnd.nextInt(700));
                combined = Crc32cConcat.concat(combined, crc(b, at, next), next - at);
                at = next;
            }
            assertEquals(crc(b, 0, b.length), combined, "trial " + trial);
        }
    }

    @Test
    void emptyPartsChangeNothing() {
        byte[] b = {1, 2, 3};
        assertEquals(crc(b, 0, 3), Crc32cConcat.concat(crc(b, 0, 3), crc(b, 3, 3), 0));
        assertEquals(crc(b, 0, 3), Crc32cConcat.concat(crc(b, 0, 0), crc(b, 0, 3), 3));
    }
}
