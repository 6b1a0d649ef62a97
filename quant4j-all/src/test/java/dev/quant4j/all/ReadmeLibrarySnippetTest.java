package dev.quant4j.all;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, exactly as printed: compiled against quant4j-all's class path (the engine; the
 * plugins at run time only) and run in a folder holding a model-f16.gguf. It must write a GGUF file.
 */
class ReadmeLibrarySnippetTest {
    private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");

    static String snippet() throws Exception {
        String text = Files.readString(README);
        int section = text.indexOf("## Using it as a library");
        assertTrue(section >= 0, "README has the library section");
        int start = text.indexOf("```java\n", section) + "```java\n".length();
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }

    @Test
    void readmeSnippetCompilesAndQuantizes(@TempDir Path tmp) throws Exception {
        String source = snippet();
        assertTrue(source.contains("import dev.quant4j."), "the snippet shows its imports");
        Path src = tmp.resolve("src/QuantizeExample.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        String cp = System.getProperty("java.class.path");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "25", "-proc:none",
                "-cp", cp, "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "README snippet compiles");

        Path work = Files.createDirectories(tmp.resolve("work"));
        new DemoModel(1, 256, 512, 2, 2, 256, 7).write(QuantRegistry.load(getClass().getClassLoader()),
                work.resolve("model-f16.gguf"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classes + File.pathSeparator + cp, "QuantizeExample")
                .directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Path written = work.resolve("model-q4_k_m.gguf");
        assertTrue(Files.size(written) < Files.size(work.resolve("model-f16.gguf")) / 2, out);
        assertArrayEquals("GGUF".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(Files.readAllBytes(written), 4));
        assertTrue(List.of(out.split("\n")).stream().anyMatch(l -> l.contains("tensors")), out);
    }
}
