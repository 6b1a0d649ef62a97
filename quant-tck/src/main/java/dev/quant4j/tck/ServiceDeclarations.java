package dev.quant4j.tck;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The two ways a plugin declares its services, read from its compiled output (a class folder or a jar):
 * {@code provides} clauses of module-info.class (used on the module path) and META-INF/services files
 * (used on the class path; AutoService writes them). They must agree, or the plugin works in one setup only.
 *
 * @param location   the class folder or jar read
 * @param module     the compiled module descriptor, empty when there is no module-info.class
 * @param provides   service -> implementations, from module-info
 * @param services   service -> implementations, from META-INF/services
 */
public record ServiceDeclarations(Path location, Optional<ModuleDescriptor> module,
                                  Map<String, Set<String>> provides, Map<String, Set<String>> services) {
    private static final String SERVICES = "META-INF/services";

    public ServiceDeclarations {
        provides = copy(provides);
        services = copy(services);
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> m) {
        Map<String, Set<String>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, Set.copyOf(new TreeSet<>(v))));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Reads the declarations of the class folder or jar at {@code location}. */
    public static ServiceDeclarations read(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            return read(location, location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + location.toUri()), Map.of())) {
            return read(location, jar.getPath("/"));
        }
    }

    private static ServiceDeclarations read(Path location, Path root) throws IOException {
        Path info = root.resolve("module-info.class");
        Optional<ModuleDescriptor> module = Optional.empty();
        Map<String, Set<String>> provides = new TreeMap<>();
        if (Files.isRegularFile(info)) {
            try (InputStream in = Files.newInputStream(info)) {
                ModuleDescriptor d = ModuleDescriptor.read(in);
                module = Optional.of(d);
                for (ModuleDescriptor.Provides p : d.provides()) {
                    provides.put(p.service(), new LinkedHashSet<>(p.providers()));
                }
            }
        }
        Map<String, Set<String>> services = new TreeMap<>();
        Path dir = root.resolve(SERVICES);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    services.put(f.getFileName().toString(), parse(Files.readAllLines(f, StandardCharsets.UTF_8)));
                }
            }
        }
        return new ServiceDeclarations(location, module, provides, services);
    }

    /** Class names of a services file: one per line, '#' starts a comment, blanks ignored. */
    static Set<String> parse(List<String> lines) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Each disagreement between module-info and META-INF/services, with the line that fixes it; empty if none. */
    public List<String> mismatches() {
        List<String> out = new ArrayList<>();
        String name = module.map(ModuleDescriptor::name).orElse("(no module-info.class)");
        Set<String> all = new TreeSet<>(provides.keySet());
        all.addAll(services.keySet());
        for (String service : all) {
            Set<String> inModule = provides.getOrDefault(service, Set.of());
            Set<String> inFiles = services.getOrDefault(service, Set.of());
            for (String impl : new TreeSet<>(inFiles)) {
                if (!inModule.contains(impl)) {
                    out.add(SERVICES + "/" + service + " lists " + impl + " but module " + name
                            + " does not provide it; add to module-info.java: provides " + service + " with " + impl + ";");
                }
            }
            for (String impl : new TreeSet<>(inModule)) {
                if (!inFiles.contains(impl)) {
                    out.add("module " + name + " provides " + service + " with " + impl + " but " + SERVICES + "/"
                            + service + " does not list it; annotate the class with @AutoService("
                            + service.substring(service.lastIndexOf('.') + 1) + ".class)");
                }
            }
        }
        return out;
    }
}
