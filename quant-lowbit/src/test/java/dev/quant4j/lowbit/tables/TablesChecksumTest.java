package dev.quant4j.lowbit.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.tck.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated tables, written back in the text format of shared/spec/tables (one value per line, hex with
 * 0x and fixed width or decimal, final newline), hash to the SHA-256 sums published in its README. The sums
 * are format constants and live here, so this runs without shared/; when shared/ is present the text is
 * also compared with the files themselves.
 */
class TablesChecksumTest {
    private record Table(String file, String sha256, int count, IntFunction<String> line) {
    }

    private static final List<Table> TABLES = List.of(
            new Table("iq2xxs_grid.txt", "24f3c08dc3ded1983ef03460a9938fe175172f37ba2ce3b426bd68b4471989af",
                    Iq2xxsTables.SIZE, k -> hex64(Iq2xxsTables.grid(k))),
            new Table("iq2xs_grid.txt", "dfe163fffb1df95ff4beb5a38974a8482d78943df21c288f517016de5f02f293",
                    Iq2xsTables.SIZE, k -> hex64(Iq2xsTables.grid(k))),
            new Table("iq2s_grid.txt", "a44ea975337294b46367bdf617fa9b0e33949c4ee6e2b37a574f479698fbaf08",
                    Iq2sTables.SIZE, k -> hex64(Iq2sTables.grid(k))),
            new Table("iq1s_grid.txt", "4adc51f7aa164eea276cb742bf87ead05f472b90c0362b1c5f1491f9aecd669e",
                    Iq1sTables.SIZE, k -> hex64(Iq1sTables.grid(k))),
            new Table("iq3xxs_grid.txt", "1a5cdcdc683b721428ba3b2ce166a2630fa0054c468f33a8d9395bc0a8450d26",
                    Iq3xxsTables.SIZE, k -> hex32(Iq3xxsTables.grid(k))),
            new Table("iq3s_grid.txt", "4af655e61ddd6cdb9a401f0c2c90037790df1c759727568fa2c1113c363bc0f9",
                    Iq3sTables.SIZE, k -> hex32(Iq3sTables.grid(k))),
            new Table("kgrid_2bit_256.txt", "f3ce07365b4ead402f7333d0e11798f206448798b7c47ba7ba05d6dced0715a5",
                    Iq2xxsTables.SIZE, k -> Integer.toString(Iq2xxsTables.kgrid(k))),
            new Table("kgrid_2bit_512.txt", "9aa7155c66a73fea5de7d95ed10628dc8a03c4066ae20422591644122754e403",
                    Iq2xsTables.SIZE, k -> Integer.toString(Iq2xsTables.kgrid(k))),
            new Table("kgrid_2bit_1024.txt", "df312aba0411e42c7730eb4068d4d4fa39f6b2365718b4f14b484e641459473b",
                    Iq2sTables.SIZE, k -> Integer.toString(Iq2sTables.kgrid(k))),
            new Table("kgrid_1bit_2048.txt", "17a3b1eb7c3486f00162c9751f1e3286c923467c63710e96c78ca6c39e95d9ae",
                    Iq1sTables.SIZE, k -> Integer.toString(Iq1sTables.kgrid(k))),
            new Table("kgrid_3bit_256.txt", "832d265222db53c50e39ce0c427b037c3475dd56b3950f733a4627a87663e9ae",
                    Iq3xxsTables.SIZE, k -> Integer.toString(Iq3xxsTables.kgrid(k))),
            new Table("kgrid_3bit_512.txt", "d85e4199b644dbab708b9c92a46dbb209b3d05909b288bb91966e636996a13f5",
                    Iq3sTables.SIZE, k -> Integer.toString(Iq3sTables.kgrid(k))),
            new Table("ksigns_iq2xs.txt", "ea9acf1293e1ed1b7b975b15ad547b39ef7e91322c99293931de20a1b5675b89",
                    SignTables.KSIGNS_SIZE, k -> Integer.toString(SignTables.ksigns(k))),
            new Table("kmask_iq2xs.txt", "6f9ce7287bc4c230684191a00b15625f2a83745d9e75053e8a2759b347f7bea0",
                    SignTables.KMASK_SIZE, k -> Integer.toString(SignTables.kmask(k))));

    @TestFactory
    Stream<DynamicTest> publishedChecksums() {
        return TABLES.stream().map(t -> DynamicTest.dynamicTest(t.file(),
                () -> assertEquals(t.sha256(), sha256(text(t)), t.file() + " re-serialised")));
    }

    @TestFactory
    Stream<DynamicTest> sameTextAsSharedFiles() {
        Path folder = SharedData.require("spec/tables");
        return TABLES.stream().map(t -> DynamicTest.dynamicTest(t.file(),
                () -> assertEquals(Files.readString(folder.resolve(t.file()), StandardCharsets.US_ASCII), text(t))));
    }

    private static String text(Table t) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < t.count(); k++) {
            sb.append(t.line().apply(k)).append('\n');
        }
        return sb.toString();
    }

    private static String hex64(long v) {
        return String.format("0x%016x", v);
    }

    private static String hex32(int v) {
        return String.format("0x%08x", v);
    }

    private static String sha256(String s) throws NoSuchAlgorithmException {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(d);
    }
}
