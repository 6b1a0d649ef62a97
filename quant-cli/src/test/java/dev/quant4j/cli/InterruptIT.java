package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A quantize run stopped by a signal (as Ctrl-C or kill does) leaves neither the output nor its temp file. */
class InterruptIT {
    @Test
    void signalledRunLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path home = Path.of(System.getProperty("quant4j.dist"));
        Path bin = home.resolve("bin/quant");
        Path model = tmp.resolve("m");
        Process demo = new ProcessBuilder(bin.toString(), "demo", "--type", "F16", "--keep", model.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("demo.log").toFile()).start();
        assertTrue(demo.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, demo.exitValue(), Files.readString(tmp.resolve("demo.log")));
        Path in = model.resolve("demo-source-f16.gguf");
        Path outDir = Files.createDirectories(tmp.resolve("out"));

        // IQ3_S is the slowest type: the run is still busy when the first tensor is reported
        Process q = new ProcessBuilder(bin.toString(), "quantize", "-v", in.toString(), outDir.resolve("o.gguf").toString(),
                "IQ3_S", "1").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String rest;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(q.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("[1/")) {
                // skip until the first tensor is done
            }
            assertTrue(line != null, "the run reported progress before it ended");
            q.toHandle().destroy(); // SIGTERM, as on Ctrl-C the JVM runs its hooks; unlike Process.destroy keeps stderr open
            StringBuilder tail = new StringBuilder();
            while ((line = err.readLine()) != null) {
                tail.append(line).append('\n');
            }
            rest = tail.toString();
            assertTrue(q.waitFor(60, TimeUnit.SECONDS), "stopped in time");
        }
        assertTrue(rest.contains("quant: cancelled (partial output removed)"), rest);
        assertNotEquals(0, q.exitValue());
        try (Stream<Path> s = Files.list(outDir)) {
            assertEquals(List.of(), s.toList(), "no output and no .tmp after the signal");
        }
    }
}
