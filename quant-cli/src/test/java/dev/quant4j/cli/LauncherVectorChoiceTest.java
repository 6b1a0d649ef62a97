package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/quant} adds the Vector API module only for commands that compute much, and picks
 * the AOT cache made for the configuration it runs. It runs the real launcher with a stand-in {@code java} that
 * prints the arguments it was given.
 */
class LauncherVectorChoiceTest {
    private static final Path LAUNCHER = Path.of("src/dist/bin/quant").toAbsolutePath();
    private static final String MODULE = "jdk.incubator.vector";
    private static final Path DIRECTIVES = Path.of("src/dist/lib/forward-pass-jit.json").toAbsolutePath();

    @TempDir
    Path root;
    private Path dist;
    private Path jdk;

    @BeforeEach
    void layOut() throws IOException {
        assumeTrue(Files.isRegularFile(LAUNCHER), "no launcher at " + LAUNCHER);
        dist = root.resolve("quant-9.9");
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.copy(LAUNCHER, dist.resolve("bin/quant"));
        executable(dist.resolve("bin/quant"));
        Files.writeString(dist.resolve("lib/quant-cli-9.9.jar"), "x");
        Files.setLastModifiedTime(dist.resolve("lib/quant-cli-9.9.jar"), FileTime.from(Instant.now().minusSeconds(100)));
        jdk = root.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Files.writeString(jdk.resolve("bin/java"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        executable(jdk.resolve("bin/java"));
    }

    @Test
    void lightCommandsRunWithoutTheVectorModule() throws Exception {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"--help"}, new String[] {},
                new String[] {"inspect", "m.gguf"}, new String[] {"plugins"}, new String[] {"-v", "tokenize", "x"})) {
            assertFalse(javaArgs(Map.of(), args).contains(MODULE), String.join(" ", args));
        }
    }

    @Test
    void commandsThatOnlyPrintRunOnC1Alone() throws Exception {
        String c1 = "-XX:TieredStopAtLevel=1";
        assertTrue(javaArgs(Map.of(), "--help").contains(c1));
        assertTrue(javaArgs(Map.of(), "-v", "inspect", "m.gguf").contains(c1));
        assertFalse(javaArgs(Map.of(), "quantize", "m.gguf", "o.gguf", "Q8_0").contains(c1));
        assertFalse(javaArgs(Map.of(), "tokenize", "m.gguf").contains(c1));
        assertFalse(javaArgs(Map.of(), "perplexity", "m.gguf").contains(c1));
    }

    @Test
    void computingCommandsRunWithIt() throws Exception {
        for (String[] args : List.of(new String[] {"perplexity", "m.gguf"}, new String[] {"demo"},
                new String[] {"-v", "report", "a", "b"}, new String[] {"generate", "m.gguf"})) {
            List<String> java = javaArgs(Map.of(), args);
            assertTrue(java.contains(MODULE), String.join(" ", args) + ": " + java);
            assertEquals("--add-modules", java.get(java.indexOf(MODULE) - 1));
        }
    }

    @Test
    void quantizeTakesItFromTheInputSize() throws Exception {
        Path small = sparse(root.resolve("small.gguf"), 1_000_000);
        Path big = sparse(root.resolve("big.gguf"), 3_000_000);
        Map<String, String> limit = Map.of("QUANT_VECTOR_MIN_MB", "2");
        assertFalse(javaArgs(limit, "quantize", "--quiet", small.toString(), "out.gguf", "Q8_0").contains(MODULE));
        assertTrue(javaArgs(limit, "quantize", big.toString(), "out.gguf", "Q4_K_M", "2").contains(MODULE));
        assertTrue(javaArgs(limit, "quantize", root.toString(), "out.gguf", "Q4_K_M").contains(MODULE),
                "a model folder counts as big");
        assertFalse(javaArgs(Map.of(), "quantize", big.toString(), "out.gguf", "Q8_0").contains(MODULE),
                "3 MB is under the default limit");
    }

    @Test
    void quantVectorOverridesTheChoice() throws Exception {
        assertTrue(javaArgs(Map.of("QUANT_VECTOR", "on"), "--version").contains(MODULE));
        assertFalse(javaArgs(Map.of("QUANT_VECTOR", "off"), "perplexity", "m.gguf").contains(MODULE));
    }

    @Test
    void eachConfigurationUsesItsOwnCacheWhileNoJarIsNewer() throws Exception {
        Files.writeString(dist.resolve("lib/quant.aot"), "v");
        Files.writeString(dist.resolve("lib/quant-plain.aot"), "p");
        assertTrue(javaArgs(Map.of(), "--version").contains("-XX:AOTCache=" + dist.resolve("lib/quant-plain.aot")));
        assertTrue(javaArgs(Map.of(), "demo").contains("-XX:AOTCache=" + dist.resolve("lib/quant.aot")));
        Files.setLastModifiedTime(dist.resolve("lib/quant-plain.aot"), FileTime.from(Instant.now().minusSeconds(200)));
        assertTrue(javaArgs(Map.of(), "--version").stream().noneMatch(a -> a.startsWith("-XX:AOTCache=")),
                "a jar newer than the cache: no cache");
        assertTrue(javaArgs(Map.of("QUANT_AOT_OUTPUT", "x.aot"), "--version").contains("-XX:AOTCacheOutput=x.aot"));
    }

    @Test
    void forwardPassCommandsLeaveTheVectorApiFallbackToC1() throws Exception {
        String flag = "-XX:CompilerDirectivesFile=" + dist.resolve("lib/forward-pass-jit.json");
        assertFalse(javaArgs(Map.of(), "perplexity", "m.gguf").contains(flag), "no file: no flag");
        Files.copy(DIRECTIVES, dist.resolve("lib/forward-pass-jit.json"));
        for (String sub : List.of("perplexity", "imatrix", "kld", "generate")) {
            List<String> java = javaArgs(Map.of(), sub, "m.gguf");
            assertTrue(java.contains(flag), sub + ": " + java);
            int unlock = java.indexOf("-XX:+UnlockDiagnosticVMOptions"), quiet = java.indexOf("-XX:-DisplayVMOutput");
            assertTrue(unlock >= 0 && unlock < quiet && quiet < java.indexOf(flag), sub + ": " + java);
        }
        assertFalse(javaArgs(Map.of(), "quantize", "m.gguf", "o.gguf", "Q8_0").contains(flag));
        assertFalse(javaArgs(Map.of(), "demo").contains(flag));
    }

    /** The forward pass's heap asks for huge pages only where the kernel gives them on request, other commands never. */
    @Test
    void forwardPassCommandsAskForHugePagesWhereTheKernelOffersThem() throws Exception {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean madvise = Files.isReadable(thp) && Files.readString(thp).contains("[madvise]");
        String flag = "-XX:+UseTransparentHugePages";
        for (String sub : List.of("perplexity", "imatrix", "kld", "generate")) {
            assertEquals(madvise, javaArgs(Map.of(), sub, "m.gguf").contains(flag), sub + " on THP " + (madvise
                    ? "madvise" : "other"));
        }
        assertFalse(javaArgs(Map.of(), "quantize", "m.gguf", "o.gguf", "Q8_0").contains(flag));
        assertFalse(javaArgs(Map.of(), "inspect", "m.gguf").contains(flag));
    }

    /**
     * The real JVM of this build reads the file (its five directives: the Vector API's fallback, attention's call-only
     * loops with the plain-loop activations, the GGUF header and vocabulary readers, the code C2 may compile, the
     * rest; no parse error) and, as launched, says nothing.
     */
    @Test
    void theJvmAcceptsTheDirectivesQuietly() throws Exception {
        String file = "-XX:CompilerDirectivesFile=" + DIRECTIVES;
        assertTrue(realJavaStdout(file).contains("5 compiler directives added"));
        assertEquals("", realJavaStdout("-XX:-DisplayVMOutput", file), "stdout carries results (--json, generate)");
    }

    private static String realJavaStdout(String... options) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UnlockDiagnosticVMOptions"));
        command.addAll(List.of(options));
        command.add("-version"); // prints its text on stderr
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private List<String> javaArgs(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", dist.resolve("bin/quant").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(root.toFile());
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().remove("QUANT_VECTOR");
        pb.environment().remove("QUANT_VECTOR_MIN_MB");
        pb.environment().remove("QUANT_AOT_OUTPUT");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains("dev.quant4j.cli.Main"), out);
        return lines;
    }

    private static Path sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
