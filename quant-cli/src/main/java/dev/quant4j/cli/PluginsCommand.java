package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.api.registry.BrokenProvider;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.registry.RegistryEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quant plugins}: every installed provider and the jar it came from. */
@Command(name = "plugins", mixinStandardHelpOptions = true, header = "Lists installed providers and the jar each came from.",
        description = {"Lists every installed provider (quantizers, calibrators, formats, planners) with the jar it",
                "was loaded from, then the plugins that were skipped as broken and why. Drop a plugin jar into",
                "the distribution's plugins/ folder, ~/.quant4j/plugins or a folder of $QUANT4J_PLUGINS to add one."})
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        QuantRegistry registry = Registries.load();
        List<RegistryEntry> entries = registry.entries();
        List<BrokenProvider> broken = Registries.broken(registry);
        var out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (RegistryEntry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kind", e.kind().label());
                m.put("name", e.name());
                m.put("display_name", e.descriptor().displayName());
                m.put("version", e.descriptor().version());
                m.put("spi_level", e.descriptor().spiLevel());
                m.put("capabilities", e.descriptor().capabilities().stream().map(Enum::name).sorted().toList());
                m.put("class", e.implementationClass());
                m.put("jar", e.origin());
                m.put("status", "ok");
                rows.add(m);
            }
            for (BrokenProvider b : broken) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kind", b.kind().label());
                m.put("name", b.name());
                m.put("class", b.className());
                m.put("jar", b.origin());
                m.put("status", "broken");
                m.put("reason", b.reason());
                rows.add(m);
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            Table t = new Table("KIND", "NAME", "DISPLAY NAME", "VERSION", "JAR");
            for (RegistryEntry e : entries) {
                t.row(e.kind().label(), e.name(), e.descriptor().displayName(), e.descriptor().version(),
                        java.nio.file.Path.of(e.origin()).getFileName().toString());
            }
            t.print(out);
            out.println(entries.size() + " providers");
            if (!broken.isEmpty()) {
                out.println();
                out.println(broken.size() + " broken (skipped):");
                for (BrokenProvider b : broken) {
                    out.println("  broken  " + b.origin() + "  " + b.name() + ": " + b.reason());
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
