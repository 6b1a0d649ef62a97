package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.classfile.ClassFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What the start-up shortcuts must keep: picocli's own output, and picocli's bytecode in the distribution. */
class CliStartupTest {
    private static final Path MODERNIZE = Path.of("").toAbsolutePath().getParent().resolve("tools/ModernizeJar.java");

    @Test
    void versionWithoutPicocliPrintsWhatPicocliPrints() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"-V"}, new String[] {"-v", "--version"})) {
            StringWriter picocli = new StringWriter();
            CommandLine cl = new CommandLine(new QuantCommand());
            cl.setOut(new PrintWriter(picocli, true));
            int picocliCode = cl.execute(args);
            StringWriter ours = new StringWriter();
            int code = Main.run(args, new PrintWriter(ours, true), new PrintWriter(new StringWriter(), true));
            assertEquals(picocliCode, code, String.join(" ", args));
            assertEquals(picocli.toString(), ours.toString(), String.join(" ", args));
            assertTrue(ours.toString().startsWith("quant4j "), ours.toString());
        }
    }

    @Test
    void onlyAPlainVersionRequestTakesTheShortcut() {
        assertTrue(Main.versionOnly(new String[] {"--version"}));
        assertTrue(Main.versionOnly(new String[] {"-vv", "-V", "--verbose"}));
        assertFalse(Main.versionOnly(new String[] {}));
        assertFalse(Main.versionOnly(new String[] {"--version", "--help"}));
        assertFalse(Main.versionOnly(new String[] {"--version", "--version"}));
        assertFalse(Main.versionOnly(new String[] {"quantize", "--version"}));
        assertFalse(Main.versionOnly(new String[] {"-Vv"}));
    }

    @Test
    void modernizedPicocliHasTheSameEntriesAsVerifiedJava8ClassFiles(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(MODERNIZE), "no tools/ModernizeJar.java at " + MODERNIZE);
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path out = tmp.resolve("picocli.jar");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                MODERNIZE.toString(), original.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), log);
        assertEquals(0, p.exitValue(), log);

        List<String> before = new ArrayList<>();
        int oldBefore = 0;
        try (JarFile jar = new JarFile(original.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                before.add(e.getName());
                if (isClass(e) && ClassFile.of().parse(bytes(jar, e)).majorVersion() < 50) {
                    oldBefore++;
                }
            }
        }
        assertTrue(oldBefore > 100, "picocli " + original + " is no longer Java 5 class files: is the rewrite still needed?");
        List<String> after = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(out.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                after.add(e.getName());
                if (isClass(e)) {
                    byte[] b = bytes(jar, e);
                    assertEquals(ClassFile.JAVA_8_VERSION, ClassFile.of().parse(b).majorVersion(), e.getName());
                    assertEquals(List.of(), ClassFile.of().verify(b), e.getName());
                    classes++;
                }
            }
        }
        assertEquals(before, after, "same entries in the same order");
        assertEquals(oldBefore, classes);
        assertTrue(log.contains(classes + " classes raised"), log);
    }

    private static boolean isClass(JarEntry e) {
        return e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class");
    }

    private static byte[] bytes(JarFile jar, JarEntry e) throws IOException {
        try (InputStream s = jar.getInputStream(e)) {
            return s.readAllBytes();
        }
    }
}
