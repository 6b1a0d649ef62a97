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
 * Every installed provider by kind and name. Built once, immutable. Duplicate names stop the load with both
 * jars in the message. When discovering plugins ({@link #load}), a provider that cannot be loaded or was built
 * for another SPI level is skipped and kept in {@link #broken()} with its jar and the reason, so one broken jar
 * does not disable the others; asking for it by name then fails with that reason. {@link #of} is strict.
 * The only place in quant4j that uses {@link ServiceLoader}.
 */
public final class QuantRegistry {
    private final Map<ProviderKind, Map<String, RegistryEntry>> byKind;
    private final List<BrokenProvider> broken;

    private QuantRegistry(Map<ProviderKind, Map<String, RegistryEntry>> byKind, List<BrokenProvider> broken) {
        this.byKind = byKind;
        this.broken = List.copyOf(broken);
    }

    /** Loads every provider visible to {@code loader} (META-INF/services, or module {@code provides}). */
    public static QuantRegistry load(ClassLoader loader) {
        List<RegistryEntry> entries = new ArrayList<>();
        List<BrokenProvider> broken = new ArrayList<>();
        Origins origins = new Origins();
        loadKind(QuantizerProvider.class, ProviderKind.QUANTIZER, loader, entries, broken, origins);
        loadKind(CalibratorProvider.class, ProviderKind.CALIBRATOR, loader, entries, broken, origins);
        loadKind(FormatProvider.class, ProviderKind.FORMAT, loader, entries, broken, origins);
        loadKind(PlannerProvider.class, ProviderKind.PLANNER, loader, entries, broken, origins);
        loadKind(ArchitectureProvider.class, ProviderKind.ARCHITECTURE, loader, entries, broken, origins);
        loadKind(TransformProvider.class, ProviderKind.TRANSFORM, loader, entries, broken, origins);
        return build(entries, broken);
    }

    /** A registry of exactly these providers (tests, embedding applications); any SPI mismatch fails. */
    public static QuantRegistry of(Provider<?>... providers) {
        List<RegistryEntry> entries = new ArrayList<>();
        for (Provider<?> p : providers) {
            entries.add(new RegistryEntry(p, originOf(p.getClass())));
        }
        return build(entries, null);
    }

    @SuppressWarnings("rawtypes")
    private static void loadKind(Class<? extends Provider> spi, ProviderKind kind, ClassLoader loader,
                                 List<RegistryEntry> out, List<BrokenProvider> broken, Origins origins) {
        Map<String, List<String>> declaredIn = ServiceFiles.declarations(spi, loader);
        List<String> loaded = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        var it = ServiceLoader.load(spi, loader).stream().iterator();
        // after an error the iterator moves on to the next declared class; the bound guards against one that does not
        for (int guard = 0; guard < 10_000; guard++) {
            ServiceLoader.Provider<? extends Provider> sp;
            try {
                if (!it.hasNext()) {
                    break;
                }
                sp = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                errors.add(String.valueOf(e.getMessage()));
                continue;
            }
            String cls = sp.type().getName();
            loaded.add(cls);
            Provider<?> p;
            try {
                p = sp.get();
            } catch (ServiceConfigurationError | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                broken.add(new BrokenProvider(kind, cls, cls, origins.of(sp.type()), "failed to construct: " + cause));
                continue;
            }
            List<String> jars = declaredIn.getOrDefault(cls, List.of());
            if (jars.size() > 1) {
                // ServiceLoader silently keeps one of two jars that carry the same provider class
                throw new QuantException(ErrorCode.DUPLICATE_NAME, "two " + p.kind().label() + "s are named '"
                        + p.descriptor().name() + "': " + cls + " from " + jars.get(0) + " and "
                        + cls + " from " + jars.get(1) + ". Remove one of the two jars.");
            }
            out.add(new RegistryEntry(p, origins.of(sp.type())));
        }
        declaredIn.forEach((cls, jars) -> {
            if (!loaded.contains(cls)) {
                String reason = errors.stream().filter(m -> m.contains(cls)).findFirst()
                        .map(m -> m.replace(spi.getName() + ": ", "")).orElse("cannot be loaded");
                broken.add(new BrokenProvider(kind, cls, cls, jars.get(0), reason));
            }
        });
    }

    private static QuantRegistry build(List<RegistryEntry> entries, List<BrokenProvider> lenient) {
        Map<ProviderKind, Map<String, RegistryEntry>> byKind = new EnumMap<>(ProviderKind.class);
        for (ProviderKind k : ProviderKind.values()) {
            byKind.put(k, new TreeMap<>());
        }
        for (RegistryEntry e : entries) {
            var d = e.descriptor();
            if (d.spiLevel() != Spi.LEVEL) {
                String why = "built for SPI level " + d.spiLevel() + " but this quant4j runtime implements level "
                        + Spi.LEVEL + ". Use a plugin release built for SPI level " + Spi.LEVEL
                        + (d.spiLevel() > Spi.LEVEL ? " or upgrade quant4j." : " or ask its author to rebuild it.");
                if (lenient != null) {
                    lenient.add(new BrokenProvider(e.kind(), d.name(), e.implementationClass(), e.origin(), why));
                    continue;
                }
                throw new QuantException(ErrorCode.SPI_MISMATCH, e.kind().label() + " '" + d.name() + "' ("
                        + e.implementationClass() + " from " + e.origin() + ") was " + why);
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
        return new QuantRegistry(Collections.unmodifiableMap(frozen), lenient == null ? List.of() : lenient);
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

    /** Providers that plugin jars declare but that were skipped, each with its jar and the reason. */
    public List<BrokenProvider> broken() {
        return broken;
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
        for (BrokenProvider b : broken) {
            if (b.kind() == kind && b.name().equals(name)) {
                throw new QuantException(ErrorCode.PROVIDER_FAILED, kind.label() + " '" + name + "' from "
                        + b.origin() + " is broken and was skipped: " + b.reason());
            }
        }
        List<String> names = names(kind);
        String hint = Names.closest(name, names).map(s -> " Did you mean '" + s + "'?").orElse("");
        String skipped = broken.stream().filter(b -> b.kind() == kind).map(b -> b.origin())
                .distinct().reduce((a, b) -> a + ", " + b).map(j -> " Skipped as broken: " + j + " (see quant plugins).")
                .orElse("");
        throw new QuantException(ErrorCode.UNKNOWN_NAME, "No " + kind.label() + " named '" + name
                + "'. Available: " + names + "." + hint + skipped);
    }

    public QuantizerProvider<?> quantizer(String name) {
        return (QuantizerProvider<?>) get(ProviderKind.QUANTIZER, name).provider();
    }

    /**
     * The installed quantizers as a {@link dev.quant4j.api.spi.QuantizerLookup}: a configured quantizer from a
     * name and string options; composite quantizers (gptq) reach their inner one through the same lookup.
     */
    public dev.quant4j.api.spi.QuantizerLookup quantizers() {
        return this::configured;
    }

    private dev.quant4j.api.spi.Quantizer configured(String name, java.util.Map<String, String> options) {
        return configured(quantizer(name), options);
    }

    private <O extends Record> dev.quant4j.api.spi.Quantizer configured(QuantizerProvider<O> p,
                                                                       java.util.Map<String, String> options) {
        return p.create(p.parseOptions(options), quantizers());
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
