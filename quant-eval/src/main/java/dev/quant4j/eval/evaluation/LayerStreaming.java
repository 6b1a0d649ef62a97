package dev.quant4j.eval.evaluation;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether perplexity / KL divergence run all chunks through one layer before the next (each weight read from the
 * file once per run, the activations of every chunk held) instead of each batch of chunks through the whole model.
 */
public enum LayerStreaming {
    ON, OFF,
    /** On when the model file is larger than the memory available now (so the page cache cannot hold it). */
    AUTO;

    boolean on(Path model) throws IOException {
        return switch (this) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> Files.size(model) > availableMemory();
        };
    }

    /** Linux's MemAvailable (page cache that can be dropped included), else the JVM's free physical memory. */
    static long availableMemory() {
        Path meminfo = Path.of("/proc/meminfo");
        try {
            if (Files.isReadable(meminfo)) {
                List<String> lines = Files.readAllLines(meminfo);
                for (String l : lines) {
                    if (l.startsWith("MemAvailable:")) {
                        return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the JVM's view
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getFreeMemorySize();
    }
}
