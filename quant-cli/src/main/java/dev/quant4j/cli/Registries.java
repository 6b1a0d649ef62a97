package dev.quant4j.cli;

import dev.quant4j.api.registry.BrokenProvider;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ProviderKind;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry the CLI works with: everything on its class path, the plugin folders included. Broken plugins
 * (a jar that is not a zip, a provider class that does not load) are skipped with a warning naming the jar.
 */
final class Registries {
    private static final Logger LOG = LoggerFactory.getLogger(Registries.class);

    private Registries() {
    }

    static QuantRegistry load() {
        QuantRegistry r = QuantRegistry.load(Registries.class.getClassLoader());
        for (BrokenProvider b : broken(r)) {
            LOG.warn("skipped broken plugin {}: {} (see quant plugins)", b.origin(), b.reason());
        }
        return r;
    }

    /** The registry's broken providers, then jars on the class path that cannot be opened at all. */
    static List<BrokenProvider> broken(QuantRegistry r) {
        List<BrokenProvider> all = new ArrayList<>(r.broken());
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && new File(entry).isFile()) {
                try (ZipFile z = new ZipFile(entry)) {
                    z.size();
                } catch (IOException e) {
                    all.add(new BrokenProvider(ProviderKind.QUANTIZER, new File(entry).getName(), "-", entry,
                            "not a readable jar: " + e.getMessage()));
                }
            }
        }
        return all;
    }
}
