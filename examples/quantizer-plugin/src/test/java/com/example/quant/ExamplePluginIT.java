package com.example.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's steps: the packaged jar in a plugins folder, and {@code quant plugins} lists example-q8. */
class ExamplePluginIT {
    @Test
    void packagedJarIsListedByQuantPlugins(@TempDir Path tmp) throws Exception {
        Path dist = Path.of(System.getProperty("quant4j.dist"));
        Path jar = Path.of(System.getProperty("example.jar"));
        assertTrue(Files.isRegularFile(jar), "packaged: " + jar);
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/quant").toString(), "plugins").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("QUANT4J_PLUGINS", plugins.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("quantizer\\s+example-q8\\s+Example Q8 \\(third-party plugin\\).*"
                + jar.getFileName() + "\\s*")), out);
    }
}
