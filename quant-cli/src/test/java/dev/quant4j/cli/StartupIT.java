package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.classfile.ClassFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The distribution's start-up changes keep the CLI's output: {@code bin/quant} (rewritten picocli, no Vector API
 * module for these commands) prints what the CLI prints in this JVM with the original picocli.
 */
class StartupIT {
    private static final Path DIST = Path.of(System.getProperty("quant4j.dist"));

    @Test
    void distributionPicocliIsJava8ClassFiles() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(DIST.resolve("lib"), "picocli-*.jar")) {
            s.forEach(jars::add);
        }
        assertEquals(1, jars.size(), jars.toString());
        int classes = 0;
        try (JarFile jar = new JarFile(jars.get(0).toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        assertEquals(ClassFile.JAVA_8_VERSION, ClassFile.of().parse(in.readAllBytes()).majorVersion(),
                                e.getName());
                    }
                    classes++;
                }
            }
        }
        assertTrue(classes > 100, classes + " classes");
    }

    @Test
    void helpAndVersionAreTheCliOutput() throws Exception {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"quantize", "--help"},
                new String[] {"inspect", "--help"})) {
            assertEquals(inProcess(args), launcher(args), String.join(" ", args));
        }
        List<String> version = launcher("--version").lines().toList();
        List<String> expected = inProcess("--version").lines().toList();
        assertEquals(expected.size(), version.size(), version.toString());
        assertTrue(version.get(0).startsWith("quant4j "), version.get(0));
        assertEquals(expected.subList(1, expected.size()), version.subList(1, version.size()));
    }

    private static String inProcess(String... args) {
        StringWriter out = new StringWriter();
        Main.run(args, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        return out.toString();
    }

    private static String launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/quant").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
