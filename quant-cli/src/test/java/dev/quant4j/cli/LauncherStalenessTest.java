package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./quant} launcher rebuilds only when a pom or a main source changed: it runs the real
 * script in a copy of the checkout's layout whose {@code mvnw} only records that it was called.
 */
class LauncherStalenessTest {
    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("quant");

    @Test
    void secondCallDoesNotBuildAndOnlySourceChangesDo(@TempDir Path root) throws Exception {
        assumeTrue(Files.isRegularFile(LAUNCHER), "no ./quant beside this module: " + LAUNCHER);
        Files.copy(LAUNCHER, root.resolve("quant"));
        write(root.resolve("pom.xml"), "<project><version>9.9</version></project>\n");
        Path source = write(root.resolve("quant-cli/src/main/java/A.java"), "class A {}\n");
        write(root.resolve("quant-cli/pom.xml"), "<project/>\n");
        // the fake build: counts calls and lays out the distribution the launcher then executes
        write(root.resolve("mvnw"), """
                #!/usr/bin/env bash
                echo build >> "$(dirname "$0")/builds.log"
                d="$(dirname "$0")/quant-cli/target/quant-9.9"
                mkdir -p "$d/lib" "$d/bin"
                touch "$d/lib/quant-cli-9.9.jar"
                printf '#!/usr/bin/env bash\\n[ -z "$QUANT_AOT_OUTPUT" ] || echo "$QUANT_VECTOR $*" >> "%s/trainings.log"\\necho "ran $*"\\n' \\
                    "$(cd "$(dirname "$0")" && pwd)" > "$d/bin/quant"
                chmod +x "$d/bin/quant"
                """);
        for (String exe : new String[] {"quant", "mvnw"}) {
            Files.setPosixFilePermissions(root.resolve(exe), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Instant past = Instant.now().minusSeconds(100);
        for (Path p : new Path[] {source, root.resolve("pom.xml"), root.resolve("quant-cli/pom.xml")}) {
            Files.setLastModifiedTime(p, FileTime.from(past));
        }

        assertEquals("ran --version", run(root, "--version"));
        assertEquals(1, builds(root), "first call builds");
        assertEquals("ran --version", run(root, "--version"));
        assertEquals(1, builds(root), "second call runs the distribution without building");

        // build output, tests, benchmarks and a shade-generated pom do not make the distribution stale
        Instant future = Instant.now().plusSeconds(100);
        for (String p : new String[] {"quant-cli/target/classes/A.class", "quant-cli/src/test/java/T.java",
                "quant-bench/pom.xml", "quant-bench/dependency-reduced-pom.xml", "examples/x/pom.xml"}) {
            Files.setLastModifiedTime(write(root.resolve(p), "x"), FileTime.from(future));
        }
        run(root, "x");
        assertEquals(1, builds(root), "generated files and tests are not sources of the distribution");

        Path stamp = root.resolve("quant-cli/target/quant-9.9/lib/quant-cli-9.9.jar");
        Files.setLastModifiedTime(source, FileTime.from(Files.getLastModifiedTime(stamp).toInstant().plusMillis(1)));
        run(root, "x");
        assertEquals(2, builds(root), "a changed main source rebuilds");
        run(root, "x");
        assertEquals(2, builds(root), "and the next call does not");
        assertEquals(List.of("on demo --no-table", "off demo --no-table", "on demo --no-table", "off demo --no-table"),
                trainings(root), "each build's first call trains the start-up caches once, on the demo, with and without"
                        + " the Vector API module");

        // a build by ./mvnw alone (newer jars, no ./quant call) gets its cache at the next call, once
        Files.setLastModifiedTime(stamp.resolveSibling(".aot-tried"),
                FileTime.from(Files.getLastModifiedTime(stamp).toInstant().minusSeconds(10)));
        run(root, "x");
        run(root, "x");
        assertEquals(6, trainings(root).size(), "caches trained again after the jars changed, and only once");
        assertEquals(2, builds(root), "without building");
    }

    private static List<String> trainings(Path root) throws IOException {
        Path log = root.resolve("trainings.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static long builds(Path root) throws IOException {
        Path log = root.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private static String run(Path root, String arg) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("quant").toString(), arg).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("ran")).findFirst().orElse(out);
    }
}
