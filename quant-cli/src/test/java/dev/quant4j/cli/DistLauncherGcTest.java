package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/quant} gives {@code quantize} the serial collector and every other command the
 * JVM's default: it runs the real script with a fake JDK whose {@code java} prints its arguments.
 */
class DistLauncherGcTest {
    private static final Path LAUNCHER = Path.of("src/dist/bin/quant").toAbsolutePath();

    @Test
    void onlyQuantizeRunsWithTheSerialCollector(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(LAUNCHER), "no launcher at " + LAUNCHER);
        Path dist = dir.resolve("dist");
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.copy(LAUNCHER, dist.resolve("bin/quant"));
        executable(dist.resolve("bin/quant"));
        Path jdk = dir.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Files.writeString(jdk.resolve("bin/java"), "#!/usr/bin/env bash\necho \"$*\"\n");
        executable(jdk.resolve("bin/java"));

        assertTrue(jvmArgs(dist, jdk, "quantize", "in.gguf", "Q4_0").contains("-XX:+UseSerialGC"));
        assertTrue(jvmArgs(dist, jdk, "-v", "quantize", "in.gguf", "Q8_0").contains("-XX:+UseSerialGC"),
                "options before the subcommand");
        assertFalse(jvmArgs(dist, jdk, "perplexity", "-m", "quantize").contains("-XX:+UseSerialGC"),
                "a later argument named quantize is not the command");
        assertFalse(jvmArgs(dist, jdk, "--version").contains("-XX:+UseSerialGC"));
        assertFalse(jvmArgs(dist, jdk, "demo").contains("-XX:+UseSerialGC"));
        assertTrue(jvmArgs(dist, jdk, "quantize", "in.gguf", "Q4_0").contains("-Djdk.reflect.useNativeAccessorOnly=true"),
                "reflection without method-handle accessors (start-up)");
    }

    /** The fake java's command line up to the main class, as the launcher built it. */
    private static List<String> jvmArgs(Path dist, Path jdk, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", dist.resolve("bin/quant").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().remove("QUANT_JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String jvm = out.substring(0, out.indexOf("dev.quant4j.cli.Main"));
        return List.of(jvm.trim().split("\\s+"));
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
