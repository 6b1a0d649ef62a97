package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin built outside the project: compiled from source at test time against nothing but quant-api,
 * jarred, dropped into a copy of the built distribution's plugins/ folder, and used through bin/quant as a
 * user would. Runs after {@code package} (failsafe), on the real distribution.
 */
class ThirdPartyPluginIT {
    private static final String PROVIDER = """
            package com.example.quant;

            import dev.quant4j.api.spi.*;
            import dev.quant4j.api.tensor.*;
            import java.lang.foreign.MemorySegment;

            /** A third party's Q8_0: scale amax/127 stored as fp16, codes round(x/scale) half away from zero. */
            public final class ExampleQ8Provider implements QuantizerProvider<NoOptions> {
                public ProviderDescriptor descriptor() {
                    return ProviderDescriptor.of(getClass(), "example-q8", "Example Q8 (third party)",
                            Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT);
                }
                public Class<NoOptions> optionsType() { return NoOptions.class; }
                public Quantizer create(NoOptions o) {
                    return new RowQuantizer(DType.Q8_0) {
                        protected void quantizeRow(float[] x, int n, float[] imp, byte[] out, int off) {
                            for (int b = 0; b < n / 32; b++) {
                                float amax = 0;
                                for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[b * 32 + j]));
                                float d = amax / 127f;
                                float id = d != 0 ? 1f / d : 0f;
                                short h = Float.floatToFloat16(d);
                                int p = off + b * 34;
                                out[p] = (byte) h; out[p + 1] = (byte) (h >> 8);
                                for (int j = 0; j < 32; j++) {
                                    float v = x[b * 32 + j] * id;
                                    out[p + 2 + j] = (byte) (int) (v < 0 ? -Math.floor(-v + 0.5f) : Math.floor(v + 0.5f));
                                }
                            }
                        }
                        protected void dequantizeRow(byte[] s, int off, float[] dst, int doff, int n) {
                            for (int b = 0; b < n / 32; b++) {
                                int p = off + b * 34;
                                float d = Float.float16ToFloat((short) ((s[p] & 0xFF) | (s[p + 1] << 8)));
                                for (int j = 0; j < 32; j++) dst[doff + b * 32 + j] = d * s[p + 2 + j];
                            }
                        }
                    };
                }
            }
            """;

    private static Path dist;

    @BeforeAll
    static void locateDistribution() {
        dist = Path.of(System.getProperty("quant4j.dist", "target/quant-" + System.getProperty("quant4j.version")));
        assertTrue(Files.isExecutable(dist.resolve("bin/quant")), "distribution not built at " + dist);
    }

    @Test
    void droppedJarIsListedAndUsableByName(@TempDir Path tmp) throws Exception {
        Path home = copyDistribution(tmp.resolve("dist"));
        Path jar = buildPluginJar(tmp.resolve("build"), home.resolve("plugins/example-q8-1.0.jar"));

        Run plugins = quant(home, "plugins");
        assertEquals(0, plugins.code, plugins.all());
        assertTrue(plugins.out.lines().anyMatch(l -> l.matches("quantizer\\s+example-q8\\s+Example Q8 \\(third party\\).*"
                + jar.getFileName() + "\\s*")), plugins.out);

        Path model = tmp.resolve("m");
        Run demo = quant(home, "demo", "--type", "F16", "--keep", model.toString(), "-t", "2");
        assertEquals(0, demo.code, demo.all());
        Path in = model.resolve("demo-source-f16.gguf");

        Path report = tmp.resolve("r.json");
        Run q = quant(home, "quantize", "--quiet", "--report", report.toString(), in.toString(),
                tmp.resolve("ex.gguf").toString(), "example-q8", "2");
        assertEquals(0, q.code, q.all());
        String json = Files.readString(report);
        assertTrue(json.contains("\"type\" : \"q8_0\""), json);
        assertTrue(json.contains("example-q8"), json);
    }

    @Test
    void duplicateNamesAcrossJarsFailNamingBothJars(@TempDir Path tmp) throws Exception {
        Path home = copyDistribution(tmp.resolve("dist"));
        Path a = buildPluginJar(tmp.resolve("build"), home.resolve("plugins/example-a.jar"));
        Files.copy(a, home.resolve("plugins/example-b.jar"));
        Run r = quant(home, "plugins");
        assertEquals(3, r.code, r.all());
        assertTrue(r.err.contains("two quantizers are named 'example-q8'"), r.err);
        assertTrue(r.err.contains("example-a.jar") && r.err.contains("example-b.jar"), r.err);
        assertTrue(!r.err.contains("\tat "), "no stack trace without -vv: " + r.err);
    }

    private static final String FUTURE = """
            package com.example.quant;

            import dev.quant4j.api.spi.*;
            import java.util.Set;

            /** Built for an SPI level this runtime does not implement. */
            public final class FutureProvider implements QuantizerProvider<NoOptions> {
                public ProviderDescriptor descriptor() {
                    return new ProviderDescriptor("future-q", "Future", "9", 999, Set.of());
                }
                public Class<NoOptions> optionsType() { return NoOptions.class; }
                public Quantizer create(NoOptions o) { throw new UnsupportedOperationException(); }
            }
            """;

    @Test
    void brokenJarsAreSkippedListedAndOnlyFailWhenAskedFor(@TempDir Path tmp) throws Exception {
        Path home = copyDistribution(tmp.resolve("dist"));
        Path user = tmp.resolve("user");
        Path extra = Files.createDirectories(tmp.resolve("extra"));
        // the good plugin lives in the user's folder, which survives rebuilds of the distribution
        Path good = buildJar(tmp.resolve("b1"), Files.createDirectories(user.resolve(".quant4j/plugins")).resolve("ex.jar"),
                "com/example/quant/ExampleQ8Provider.java", PROVIDER, "com.example.quant.ExampleQ8Provider");
        Path garbage = Files.write(home.resolve("plugins/garbage.jar"), "not a zip".getBytes(StandardCharsets.UTF_8));
        Path missing = buildJar(tmp.resolve("b2"), extra.resolve("missing.jar"), "com/example/quant/ExampleQ8Provider.java",
                PROVIDER, "com.example.quant.NoSuchProvider");
        Path future = buildJar(tmp.resolve("b3"), extra.resolve("future.jar"), "com/example/quant/FutureProvider.java",
                FUTURE, "com.example.quant.FutureProvider");
        java.util.Map<String, String> env = java.util.Map.of("HOME", user.toString(), "QUANT4J_PLUGINS", extra.toString());

        Run plugins = quant(home, env, "plugins");
        assertEquals(0, plugins.code, plugins.all());
        assertTrue(plugins.out.contains("example-q8") && plugins.out.contains(good.getFileName().toString()), plugins.out);
        assertTrue(plugins.out.contains("3 broken (skipped):"), plugins.out);
        assertTrue(plugins.out.lines().anyMatch(l -> l.contains("broken  " + garbage) && l.contains("not a readable jar")), plugins.out);
        assertTrue(plugins.out.lines().anyMatch(l -> l.contains("broken  " + missing)
                && l.contains("com.example.quant.NoSuchProvider") && l.contains("not found")), plugins.out);
        assertTrue(plugins.out.lines().anyMatch(l -> l.contains("broken  " + future) && l.contains("future-q")
                && l.contains("SPI level 999")), plugins.out);
        assertTrue(plugins.err.contains("skipped broken plugin " + missing), "warned on stderr: " + plugins.err);

        Path model = new dev.quant4j.engine.DemoModel(1, 256, 256, 2, 2, 256, 1).write(
                dev.quant4j.api.registry.QuantRegistry.load(getClass().getClassLoader()), tmp.resolve("m.gguf"));
        Run ok = quant(home, env, "quantize", "--quiet", model.toString(), tmp.resolve("o.gguf").toString(), "example-q8");
        assertEquals(0, ok.code, "the good plugin still works: " + ok.all());
        Run asked = quant(home, env, "quantize", model.toString(), tmp.resolve("f.gguf").toString(), "future-q");
        assertEquals(1, asked.code, asked.all());
        assertTrue(asked.err.contains("quantizer 'future-q' from " + future + " is broken and was skipped: built for SPI level 999"),
                asked.err);
    }

    private static Path copyDistribution(Path to) throws IOException {
        try (Stream<Path> s = Files.walk(dist)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(dist.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static Path buildPluginJar(Path work, Path jar) throws IOException {
        return buildJar(work, jar, "com/example/quant/ExampleQ8Provider.java", PROVIDER, "com.example.quant.ExampleQ8Provider");
    }

    private static Path buildJar(Path work, Path jar, String file, String source, String service) throws IOException {
        Path src = work.resolve("src/" + file);
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path api;
        try (Stream<Path> s = Files.list(dist.resolve("lib"))) {
            api = s.filter(p -> p.getFileName().toString().startsWith("quant-api-")).findFirst().orElseThrow();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "25", "-cp", api.toString(), "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "plugin source compiles against quant-api alone");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os)) {
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    jos.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    jos.write(Files.readAllBytes(p));
                    jos.closeEntry();
                }
            }
            jos.putNextEntry(new JarEntry("META-INF/services/dev.quant4j.api.spi.QuantizerProvider"));
            jos.write((service + "\n").getBytes(StandardCharsets.UTF_8));
            jos.closeEntry();
        }
        return jar;
    }

    private record Run(int code, String out, String err) {
        String all() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static Run quant(Path home, String... args) throws Exception {
        return quant(home, java.util.Map.of(), args);
    }

    private static Run quant(Path home, java.util.Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/quant").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("quant-out", ".txt");
        Path err = Files.createTempFile("quant-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "quant " + String.join(" ", args) + " finished in time");
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
