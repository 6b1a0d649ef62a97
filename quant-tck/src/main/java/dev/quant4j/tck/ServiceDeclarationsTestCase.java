package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proves a plugin module declares its services the same way for the module path (module-info {@code provides})
 * and the class path (META-INF/services, written by AutoService). A plugin's test is three lines:
 *
 * <pre>{@code
 * class ServicesTest extends ServiceDeclarationsTestCase {
 *     @Override protected Class<?> moduleClass() { return Q8_0Provider.class; }
 * }
 * }</pre>
 */
public abstract class ServiceDeclarationsTestCase {
    /** Any class of the plugin module; its class folder or jar is what the checks read. */
    protected abstract Class<?> moduleClass();

    /** The plugin's compiled output: by default where {@link #moduleClass()} was loaded from. */
    protected Path moduleLocation() {
        CodeSource cs = moduleClass().getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new IllegalStateException(moduleClass() + " has no code source; override moduleLocation()");
        }
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(cs.getLocation() + " is not a file location", e);
        }
    }

    private ServiceDeclarations declarations() throws IOException {
        return ServiceDeclarations.read(moduleLocation());
    }

    /** The plugin is a named module (it has a module-info.class). */
    @Test
    public final void moduleInfoPresent() throws IOException {
        assertTrue(declarations().module().isPresent(), moduleLocation() + " has no module-info.class; a plugin "
                + "is a named module that declares its providers with 'provides'");
    }

    /** The plugin provides at least one service one way or the other. */
    @Test
    public final void providesSomething() throws IOException {
        ServiceDeclarations d = declarations();
        assertFalse(d.provides().isEmpty() && d.services().isEmpty(), moduleLocation()
                + " declares no service at all: neither 'provides' in module-info nor META-INF/services");
    }

    /** Every {@code provides S with I} has I listed in META-INF/services/S, and the other way round. */
    @Test
    public final void providesAgreesWithServiceFiles() throws IOException {
        List<String> problems = declarations().mismatches();
        if (!problems.isEmpty()) {
            fail(moduleLocation() + ": module-info and META-INF/services disagree:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * Every declared implementation loads, implements its service, and can be created by ServiceLoader on the
     * class path: a public class with a public no-argument constructor (ServiceLoader honours a static
     * {@code provider()} method on the module path only).
     */
    @Test
    public final void declaredProvidersLoadable() throws IOException {
        ServiceDeclarations d = declarations();
        List<String> problems = new ArrayList<>();
        ClassLoader loader = getClass().getClassLoader();
        for (Map<String, Set<String>> decl : List.of(d.provides(), d.services())) {
            decl.forEach((service, impls) -> impls.forEach(impl -> check(loader, service, impl, problems)));
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", new java.util.TreeSet<>(problems)));
        }
    }

    private static void check(ClassLoader loader, String service, String impl, List<String> problems) {
        Class<?> s;
        Class<?> c;
        try {
            s = Class.forName(service, false, loader);
            c = Class.forName(impl, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(impl + " (for " + service + ") cannot be loaded: " + e);
            return;
        }
        if (!s.isAssignableFrom(c)) {
            problems.add(impl + " does not implement " + service);
        }
        if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers())) {
            problems.add(impl + " must be a public concrete class for ServiceLoader");
        }
        if (!hasPublicNoArgConstructor(c)) {
            problems.add(impl + " needs a public no-argument constructor to be found on the class path");
        }
    }

    private static boolean hasPublicNoArgConstructor(Class<?> c) {
        try {
            return Modifier.isPublic(c.getConstructor().getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
