package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.registry.RegistryEntry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.Provider;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Spi;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks every kind of provider shares: found by name through the registry, a well-formed descriptor, and
 * option parsing that rejects unknown keys and bad values naming the field. Extended only by the kit's four
 * provider test cases; a plugin extends one of those.
 *
 * @param <P> the provider type under test
 */
public abstract class ProviderTestCase<P extends Provider<?>> {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
    /** A key no provider declares; used to prove unknown keys are refused. */
    static final String UNKNOWN_KEY = "tck-no-such-option";

    ProviderTestCase() {
    }

    /** A fresh instance of the provider under test, as its ServiceLoader entry would create it. */
    protected abstract P provider();

    /**
     * Options (key=value, as a command line or plan carries them) for the worker under test;
     * none by default, so every component takes its declared default.
     */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** The kind the concrete test case covers. */
    abstract ProviderKind expectedKind();

    /**
     * The provider is listed for ServiceLoader (META-INF/services or module {@code provides}) and the registry
     * loaded from the test's class loader finds it by its descriptor's name, as the same class.
     */
    @Test
    public final void discoverableByName() {
        P p = provider();
        String name = p.descriptor().name();
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        Optional<RegistryEntry> found = registry.find(expectedKind(), name);
        assertTrue(found.isPresent(), () -> expectedKind().label() + " '" + name + "' (" + p.getClass().getName()
                + ") is not found by QuantRegistry.load. Installed " + expectedKind().label() + "s: "
                + registry.names(expectedKind()) + ". Annotate the class with @AutoService("
                + spiInterface().getSimpleName() + ".class) and add 'provides " + spiInterface().getName()
                + " with " + p.getClass().getName() + ";' to module-info.java.");
        assertEquals(p.getClass(), found.get().provider().getClass(), "the registry's '" + name
                + "' is another class, from " + found.get().origin());
    }

    /**
     * The descriptor is well formed and stable: name {@code [a-z0-9_-]+}, display name and version not blank,
     * SPI level equal to this runtime's {@link Spi#LEVEL}, the right kind, an options record type, and only
     * capabilities that mean something for this kind.
     */
    @Test
    public final void descriptorWellFormed() {
        P p = provider();
        ProviderDescriptor d;
        try {
            d = p.descriptor();
        } catch (RuntimeException e) {
            throw new AssertionError(p.getClass().getName() + ".descriptor() throws: " + e.getMessage(), e);
        }
        assertNotNull(d, p.getClass().getName() + ".descriptor() returned null");
        List<String> problems = new ArrayList<>();
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            problems.add("name '" + d.name() + "' must match [a-z0-9_-]+ (it is written into output files)");
        }
        if (d.displayName() == null || d.displayName().isBlank()) {
            problems.add("display name is blank");
        }
        if (d.version() == null || d.version().isBlank()) {
            problems.add("version is blank; use ProviderDescriptor.of, which reads the jar manifest");
        }
        if (d.spiLevel() != Spi.LEVEL) {
            problems.add("SPI level " + d.spiLevel() + " but this quant4j implements level " + Spi.LEVEL
                    + "; build against this quant-api and use ProviderDescriptor.of");
        }
        if (p.kind() != expectedKind()) {
            problems.add("kind " + p.kind() + ", expected " + expectedKind());
        }
        if (!d.equals(p.descriptor())) {
            problems.add("descriptor() is not stable: two calls gave " + d + " and " + p.descriptor());
        }
        Class<?> opts = p.optionsType();
        if (opts == null || !opts.isRecord()) {
            problems.add("optionsType() " + opts + " is not a record class");
        }
        Set<Capability> wrong = EnumSet.noneOf(Capability.class);
        for (Capability c : d.capabilities()) {
            if (!allowedFor(c, expectedKind())) {
                wrong.add(c);
            }
        }
        if (!wrong.isEmpty()) {
            problems.add("capabilities " + wrong + " mean nothing for a " + expectedKind().label());
        }
        if (!problems.isEmpty()) {
            fail(expectedKind().label() + " " + p.getClass().getName() + " has a malformed descriptor: "
                    + String.join("; ", problems));
        }
    }

    /** The options the test runs with parse (so every component has a valid default or is given). */
    @Test
    public final void optionsUnderTestParse() {
        P p = provider();
        try {
            assertNotNull(p.parseOptions(options()), "parseOptions returned null");
        } catch (RuntimeException e) {
            throw new AssertionError(p.descriptor().name() + ": options " + options() + " do not parse: " + e, e);
        }
    }

    /** An unknown key is refused with INVALID_OPTION, and the message names the key. */
    @Test
    public final void unknownOptionRejectedNamingIt() {
        P p = provider();
        Map<String, String> values = new HashMap<>(options());
        values.put(UNKNOWN_KEY, "1");
        OptionProbes.assertRejected(p, values, UNKNOWN_KEY, "unknown option '" + UNKNOWN_KEY + "'");
    }

    /**
     * For every options component whose type can hold a malformed value (numbers, booleans, enums),
     * a garbage value is refused with INVALID_OPTION naming the component's key.
     */
    @Test
    public final void invalidOptionValuesRejectedNamingTheField() {
        P p = provider();
        List<OptionProbes.Probe> probes = OptionProbes.garbageProbes(p.optionsType());
        Assumptions.assumeFalse(probes.isEmpty(), () -> p.optionsType().getSimpleName()
                + " has no component a garbage value can be given to");
        for (OptionProbes.Probe probe : probes) {
            Map<String, String> values = new HashMap<>(options());
            values.put(probe.key(), probe.garbage());
            OptionProbes.assertRejected(p, values, probe.key(), "option '" + probe.key() + "' = '"
                    + probe.garbage() + "'");
        }
    }

    private Class<?> spiInterface() {
        return switch (expectedKind()) {
            case QUANTIZER -> dev.quant4j.api.spi.QuantizerProvider.class;
            case CALIBRATOR -> dev.quant4j.api.spi.CalibratorProvider.class;
            case FORMAT -> dev.quant4j.api.spi.FormatProvider.class;
            case PLANNER -> dev.quant4j.api.spi.PlannerProvider.class;
            case ARCHITECTURE -> dev.quant4j.api.spi.ArchitectureProvider.class;
            case TRANSFORM -> dev.quant4j.api.spi.TransformProvider.class;
        };
    }

    static boolean allowedFor(Capability c, ProviderKind kind) {
        return switch (c) {
            case DEQUANTIZE, ROW_INDEPENDENT, GGML_EXACT -> kind == ProviderKind.QUANTIZER;
            case REQUIRES_CALIBRATION, USES_CALIBRATION -> kind == ProviderKind.QUANTIZER || kind == ProviderKind.PLANNER
                    || kind == ProviderKind.TRANSFORM;
            case READ, WRITE -> kind == ProviderKind.FORMAT;
        };
    }
}
