package dev.quant4j.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Proves the architecture rules ran over real classes: every quant4j module is on this module's test class
 * path, every main class of each was imported, and the modules that already have code contribute a fair
 * number of classes (so a rule cannot pass because it looked at nothing).
 */
final class ImportCoverage {
    /** Every quant4j module; quant-archtests depends on all of them. */
    static final Set<String> MODULES = Set.of("dev.quant4j.api", "dev.quant4j.kernels", "dev.quant4j.tck",
            "dev.quant4j.integer", "dev.quant4j.lowbit", "dev.quant4j.smooth", "dev.quant4j.importance",
            "dev.quant4j.gguf", "dev.quant4j.safetensors", "dev.quant4j.eval", "dev.quant4j.engine", "dev.quant4j.cli");
    /** Modules that already hold code, with the fewest classes each must contribute. */
    static final Map<String, Integer> MINIMUM = Map.of("dev.quant4j.api", 30, "dev.quant4j.kernels", 2,
            "dev.quant4j.tck", 10, "dev.quant4j.cli", 2);

    private ImportCoverage() {
    }

    static void assertCovers(JavaClasses imported) {
        Map<String, Set<String>> modules = quant4jModulesOnClassPath();
        assertEquals(new TreeSet<>(MODULES), modules.keySet(), "quant4j modules on the test class path; "
                + "quant-archtests must depend on every module at test scope");
        Set<String> names = imported.stream().map(JavaClass::getName).collect(Collectors.toSet());
        for (var e : modules.entrySet()) {
            Set<String> missing = new TreeSet<>(e.getValue());
            missing.removeAll(names);
            assertTrue(missing.isEmpty(), e.getKey() + ": classes not imported: " + missing);
            int min = MINIMUM.getOrDefault(e.getKey(), 0);
            assertTrue(e.getValue().size() >= min, e.getKey() + " contributes " + e.getValue().size()
                    + " classes, expected at least " + min + "; is the import looking at the right place?");
        }
    }

    /** Module name -> binary names of its classes, for every dev.quant4j module on the class path. */
    static Map<String, Set<String>> quant4jModulesOnClassPath() {
        Map<String, Set<String>> out = new TreeMap<>();
        try {
            for (URL url : Collections.list(ImportCoverage.class.getClassLoader().getResources("module-info.class"))) {
                ModuleReference ref = ModuleFinder.of(location(url)).findAll().stream().findFirst().orElse(null);
                if (ref != null && ref.descriptor().name().startsWith("dev.quant4j.")) {
                    out.put(ref.descriptor().name(), classes(ref));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Path location(URL moduleInfo) throws IOException {
        try {
            if (moduleInfo.getProtocol().equals("jar")) {
                return Path.of(((JarURLConnection) moduleInfo.openConnection()).getJarFileURL().toURI());
            }
            return Path.of(moduleInfo.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(moduleInfo + " is not a file location", e);
        }
    }

    private static Set<String> classes(ModuleReference ref) throws IOException {
        try (ModuleReader reader = ref.open()) {
            return reader.list()
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
