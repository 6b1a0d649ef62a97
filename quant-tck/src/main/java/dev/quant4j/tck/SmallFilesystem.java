package dev.quant4j.tck;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A size-limited tmpfs mounted for one test (needs root and mount; the test is skipped, saying why, otherwise). */
public final class SmallFilesystem implements AutoCloseable {
    private final Path dir;

    private SmallFilesystem(Path dir) {
        this.dir = dir;
    }

    public static SmallFilesystem mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String why;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            boolean done = p.waitFor(30, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes());
            why = done && p.exitValue() == 0 ? null : "mount -t tmpfs failed: " + out.strip();
        } catch (IOException e) {
            why = "no mount command: " + e.getMessage();
        }
        String reason = why;
        Assumptions.assumeTrue(reason == null, () -> "skipped: needs a small file system (root, mount -t tmpfs): " + reason);
        return new SmallFilesystem(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Writes a file until the device is full. */
    public void fill() throws IOException {
        byte[] block = new byte[16 * 1024];
        try (OutputStream o = Files.newOutputStream(dir.resolve("filler"))) {
            while (true) {
                o.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
