package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** {@code package} also writes quant-VERSION.tar.gz and .zip: bin/ (executable), lib/, plugins/ and the README. */
class DistributionArchivesIT {
    private static final Path DIST = Path.of(System.getProperty("quant4j.dist"));
    private static final String BASE = DIST.getFileName().toString();

    @Test
    void zipHoldsTheDistribution() throws IOException {
        Path zip = DIST.resolveSibling(BASE + ".zip");
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = z.stream().map(ZipEntry::getName).toList();
            assertLayout(names);
        }
    }

    @Test
    void tarGzHoldsTheDistributionWithAnExecutableLauncher() throws Exception {
        Path tgz = DIST.resolveSibling(BASE + ".tar.gz");
        assertTrue(Files.isRegularFile(tgz), tgz + " written by package");
        Process p = new ProcessBuilder("tar", "-tvzf", tgz.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), listing);
        List<String> names = listing.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        assertLayout(names);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(BASE + "/bin/quant")), listing);
    }

    private static void assertLayout(List<String> names) {
        assertTrue(names.contains(BASE + "/bin/quant"), names.toString());
        assertTrue(names.contains(BASE + "/README.md"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith(BASE + "/plugins/")), names.toString());
        for (String jar : List.of("quant-cli-", "quant-engine-", "quant-gguf-", "quant-int-", "quant-lowbit-", "quant-api-")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(BASE + "/lib/" + jar) && n.endsWith(".jar")), jar + " in " + names);
        }
    }
}
