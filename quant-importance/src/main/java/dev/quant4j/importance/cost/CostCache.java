package dev.quant4j.importance.cost;

import dev.quant4j.api.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measured costs on disk, one small text file per (tensor content, importance content, estimator, sampling):
 * its name is the SHA-256 of that key, its lines {@code TYPE VALUE STDERR}. A file is written (atomically, by
 * rename) as soon as a tensor's candidates are measured, so a killed analysis resumes at the tensor where it
 * stopped, and a rerun at another target reads everything back. Keys hash the tensor's bytes rather than the
 * model file, so a model re-exported with the same weights (or another model sharing tensors) hits the cache too.
 * A damaged file is ignored (and remeasured), never trusted.
 */
public final class CostCache {
    private static final Logger LOG = LoggerFactory.getLogger(CostCache.class);
    private static final String HEADER = "# quant4j cost cache v1";

    private final Path dir;

    /** A cache in {@code dir} (created when first written), or none when {@code dir} is null. */
    public CostCache(Path dir) {
        this.dir = dir;
    }

    public boolean enabled() {
        return dir != null;
    }

    /** The costs stored under {@code key}, by type; empty when none or unreadable. */
    Map<String, Cost> read(String key) {
        Map<String, Cost> out = new LinkedHashMap<>();
        if (dir == null) {
            return out;
        }
        Path f = dir.resolve(key + ".costs");
        if (!Files.isRegularFile(f)) {
            return out;
        }
        try {
            var lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
                LOG.warn("ignoring cost cache file {}: not a quant4j cost cache", f);
                return Map.of();
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] p = line.trim().split(" ");
                if (p.length != 3) {
                    throw new IllegalArgumentException("malformed line '" + line + "'");
                }
                out.put(p[0], new Cost(p[0], Double.parseDouble(p[1]), Double.parseDouble(p[2])));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring cost cache file {}: {}", f, e.getMessage());
            return new LinkedHashMap<>();
        }
    }

    /** Stores {@code costs} under {@code key}, replacing what was there. */
    void write(String key, Map<String, Cost> costs) {
        if (dir == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Cost c : costs.values()) {
            sb.append(c.type()).append(' ').append(String.format(Locale.ROOT, "%.17g %.17g", c.value(), c.stdError()))
                    .append('\n');
        }
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(key + ".costs");
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            AtomicFiles.replace(tmp, f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cost cache in " + dir + ": " + e.getMessage()
                    + " (choose another folder with cache-dir, or cache-dir=none)", e);
        }
    }
}
