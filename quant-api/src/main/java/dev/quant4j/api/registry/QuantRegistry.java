package dev.quant4j.api.registry;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ArchitectureProvider;
import dev.quant4j.api.spi.TransformProvider;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.api.spi.Provider;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.Spi;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every installed provider by kind and name. Built once, immutable, and fail-fast: duplicate names,
 * SPI level mismatches and providers that fail to construct stop the load with the fix in the message.
 * The only place in quant4j that uses {@link ServiceLoader}.
 */
public final class QuantRegistry {
    private final Map<ProviderKind, Map<String, RegistryEntry>> byKind;

    private QuantRegistry(Map<ProviderKind, Map<String, RegistryEntry>> byKind) {
        this.byKind = byKind;
    }

    /** Loads every provider visible to {@code loader} (META-INF/services, or module {@code provides}). */
    public static QuantRegistry load(ClassLoader loader) {
        List<RegistryEntry> entries = new ArrayList<>();
        loadKind(QuantizerProvider.class, loader, entries);
        loadKind(CalibratorProvider.class, loader, entries);
        loadKind(FormatProvider.class, loader, entries);
        loadKind(PlannerProvider.class, loader, entries);
        loadKind(ArchitectureProvider.class, loader, entries);
        loadKind(TransformProvider.class, loader, entries);
        return build(entries);
    }

    /** A registry of exactly these providers (tests, embedding applications). */
    public static QuantRegistry of(Provider<?>... providers) {
        List<RegistryEntry> entries = new ArrayList<>();
        for (Provider<?> p : providers) {
            entries.add(new RegistryEntry(p, originOf(p.getClass())));
        }
        return build(entries);
    }

    @SuppressWarnings("rawtypes")
    private static void loadKind(Class<? extends Provider> spi, ClassLoader loader, List<RegistryEntry> out) {
        Map<String, List<String>> declaredIn = ServiceFiles.declarations(spi, loader);
        var it = ServiceLoader.load(spi, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<? extends Provider> sp;
            try {
                if (!it.hasNext()) {
                    return;
                }
                sp = it.next();
            } catch (ServiceConfigurationError e) {
                throw new QuantException(ErrorCode.PROVIDER_FAILED, "a " + spi.getSimpleName()
                        + " listed in META-INF/services cannot be loaded: " + e.getMessage(), e);
            }
            Provider<?> p;
            try {
                p = sp.get();
            } catch (ServiceConfigurationError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new QuantException(ErrorCode.PROVIDER_FAILED, spi.getSimpleName() + " "
                        + sp.type().getName() + " from " + originOf(sp.type()) + " failed to construct: "
                        + cause, cause);
            }
            List<String> jars = declaredIn.getOrDefault(sp.type().getName(), List.of());
            if (jars.size() > 1) {
                // ServiceLoader silently keeps one of two jars that carry the same provider class
                throw new QuantException(ErrorCode.DUPLICATE_NAME, "two " + p.kind().label() + "s are named '"
                        + p.descriptor().name() + "': " + sp.type().getName() + " from " + jars.get(0) + " and "
                        + sp.type().getName() + " from " + jars.get(1) + ". Remove one of the two jars.");
            }
            out.add(new RegistryEntry(p, originOf(sp.type())));
        }
    }

    private static QuantRegistry build(List<RegistryEntry> entries) {
        Map<ProviderKind, Map<String, RegistryEntry>> byKind = new EnumMap<>(ProviderKind.class);
        for (ProviderKind k : ProviderKind.values()) {
            byKind.put(k, new TreeMap<>());
        }
        for (RegistryEntry e : entries) {
            var d = e.descriptor();
            if (d.spiLevel() != Spi.LEVEL) {
                throw new QuantException(ErrorCode.SPI_MISMATCH, e.kind().label() + " '" + d.name() + "' ("
                        + e.implementationClass() + " from " + e.origin() + ") was built for SPI level "
                        + d.spiLevel() + " but this quant4j runtime implements level " + Spi.LEVEL
                        + ". Use a plugin release built for SPI level " + Spi.LEVEL
                        + (d.spiLevel() > Spi.LEVEL ? " or upgrade quant4j." : " or ask its author to rebuild it."));
            }
            RegistryEntry prev = byKind.get(e.kind()).putIfAbsent(d.name(), e);
            if (prev != null) {
                throw new QuantException(ErrorCode.DUPLICATE_NAME, "two " + e.kind().label() + "s are named '"
                        + d.name() + "': " + prev.implementationClass() + " from " + prev.origin() + " and "
                        + e.implementationClass() + " from " + e.origin() + ". Remove one of the two jars.");
            }
        }
        Map<ProviderKind, Map<String, RegistryEntry>> frozen = new EnumMap<>(ProviderKind.class);
        byKind.forEach((k, m) -> frozen.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
        return new QuantRegistry(Collections.unmodifiableMap(frozen));
    }

    static String originOf(Class<?> type) {
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                return Path.of(cs.getLocation().toURI()).toString();
            }
        } catch (Exception e) {
            // not a file location (e.g. a custom class loader); report it as unknown below
        }
        return "unknown";
    }

    /** Every entry, by kind then name. */
    public List<RegistryEntry> entries() {
        List<RegistryEntry> all = new ArrayList<>();
        byKind.values().forEach(m -> all.addAll(m.values()));
        return List.copyOf(all);
    }

    /** Names of the providers of one kind, sorted. */
    public List<String> names(ProviderKind kind) {
        return List.copyOf(byKind.get(kind).keySet());
    }

    public Optional<RegistryEntry> find(ProviderKind kind, String name) {
        return Optional.ofNullable(byKind.get(kind).get(name));
    }

    /** The provider of {@code kind} named {@code name}; a missing name fails with the list and a suggestion. */
    public RegistryEntry get(ProviderKind kind, String name) {
        RegistryEntry e = byKind.get(kind).get(name);
        if (e != null) {
            return e;
        }
        List<String> names = names(kind);
        String hint = Names.closest(name, names).map(s -> " Did you mean '" + s + "'?").orElse("");
        throw new QuantException(ErrorCode.UNKNOWN_NAME, "No " + kind.label() + " named '" + name
                + "'. Available: " + names + "." + hint);
    }

    public QuantizerProvider<?> quantizer(String name) {
        return (QuantizerProvider<?>) get(ProviderKind.QUANTIZER, name).provider();
    }

    public CalibratorProvider<?> calibrator(String name) {
        return (CalibratorProvider<?>) get(ProviderKind.CALIBRATOR, name).provider();
    }

    public PlannerProvider<?> planner(String name) {
        return (PlannerProvider<?>) get(ProviderKind.PLANNER, name).provider();
    }

    /** The architecture provider for a {@code general.architecture} value. */
    public ArchitectureProvider architecture(String name) {
        return (ArchitectureProvider) get(ProviderKind.ARCHITECTURE, name).provider();
    }

    /** The model-level transform named {@code name} (e.g. {@code smoothquant}). */
    public TransformProvider<?> transform(String name) {
        return (TransformProvider<?>) get(ProviderKind.TRANSFORM, name).provider();
    }

    public FormatProvider format(String name) {
        return (FormatProvider) get(ProviderKind.FORMAT, name).provider();
    }

    /** The first format (by name) whose sniffing accepts {@code file}. */
    public Optional<FormatProvider> formatFor(Path file) {
        return byKind.get(ProviderKind.FORMAT).values().stream()
                .map(e -> (FormatProvider) e.provider())
                .filter(f -> f.canRead(file))
                .findFirst();
    }
}
