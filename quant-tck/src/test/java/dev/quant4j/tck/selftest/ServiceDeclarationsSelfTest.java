package dev.quant4j.tck.selftest;

import static dev.quant4j.tck.selftest.ServiceFixtureModules.QUANTIZER_SPI;
import static dev.quant4j.tck.selftest.ServiceFixtureModules.build;
import static dev.quant4j.tck.selftest.ServiceFixtureModules.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.tck.ServiceDeclarations;
import dev.quant4j.tck.ServiceDeclarationsTestCase;
import dev.quant4j.tck.fixtures.QuantizerFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link ServiceDeclarationsTestCase} against fake plugin outputs that agree and that do not. */
class ServiceDeclarationsSelfTest {
    static final String GOOD = QuantizerFixtures.Good.class.getName();
    static final String IMAT = QuantizerFixtures.GoodImatrix.class.getName();
    static final String SCRATCH = QuantizerFixtures.SharedScratch.class.getName();

    static Path agreeing() {
        return build("agreeing", Map.of(QUANTIZER_SPI, List.of(GOOD, IMAT)),
                Map.of(QUANTIZER_SPI, lines("# written by AutoService", IMAT, "", "  " + GOOD + "  # trailing comment")));
    }

    static final class Agreeing extends ServiceDeclarationsTestCase {
        @Override protected Class<?> moduleClass() { return QuantizerFixtures.Good.class; }
        @Override protected Path moduleLocation() { return agreeing(); }
    }

    static final class MissingServicesFile extends ServiceDeclarationsTestCase {
        @Override protected Class<?> moduleClass() { return QuantizerFixtures.Good.class; }
        @Override protected Path moduleLocation() {
            return build("missing-services", Map.of(QUANTIZER_SPI, List.of(GOOD)), Map.of());
        }
    }

    static final class ExtraServicesEntry extends ServiceDeclarationsTestCase {
        @Override protected Class<?> moduleClass() { return QuantizerFixtures.Good.class; }
        @Override protected Path moduleLocation() {
            return build("extra-entry", Map.of(QUANTIZER_SPI, List.of(GOOD)), Map.of(QUANTIZER_SPI, lines(GOOD, SCRATCH)));
        }
    }

    static final class NoModuleInfo extends ServiceDeclarationsTestCase {
        @Override protected Class<?> moduleClass() { return QuantizerFixtures.Good.class; }
        @Override protected Path moduleLocation() {
            return build("no-module-info", null, Map.of(QUANTIZER_SPI, lines(GOOD)));
        }
    }

    static final class Empty extends ServiceDeclarationsTestCase {
        @Override protected Class<?> moduleClass() { return QuantizerFixtures.Good.class; }
        @Override protected Path moduleLocation() { return build("empty", Map.of(), Map.of()); }
    }

    static final class Unloadable extends ServiceDeclarationsTestCase {
        @Override protected Class<?> moduleClass() { return QuantizerFixtures.Good.class; }
        @Override protected Path moduleLocation() {
            List<String> impls = List.of("dev.quant4j.tck.fixtures.NoSuchProvider",
                    QuantizerFixtures.Base.class.getName(), "dev.quant4j.tck.fixtures.FixtureOptions");
            return build("unloadable", Map.of(QUANTIZER_SPI, impls), Map.of(QUANTIZER_SPI, impls));
        }
    }

    @Test
    void agreeingDeclarationsPass() {
        KitRun.of(Agreeing.class).assertFailedExactly().assertSkippedExactly();
    }

    @Test
    void disagreementsAreCaughtWithTheFix() {
        KitRun missing = KitRun.of(MissingServicesFile.class).assertFailedExactly("providesAgreesWithServiceFiles");
        assertTrue(missing.failure("providesAgreesWithServiceFiles").contains("@AutoService(QuantizerProvider.class)"),
                missing.failure("providesAgreesWithServiceFiles"));
        KitRun extra = KitRun.of(ExtraServicesEntry.class).assertFailedExactly("providesAgreesWithServiceFiles");
        assertTrue(extra.failure("providesAgreesWithServiceFiles").contains("provides " + QUANTIZER_SPI + " with "
                + SCRATCH + ";"), extra.failure("providesAgreesWithServiceFiles"));
        KitRun.of(NoModuleInfo.class).assertFailedExactly("moduleInfoPresent", "providesAgreesWithServiceFiles");
        KitRun.of(Empty.class).assertFailedExactly("providesSomething");
    }

    @Test
    void unloadableProvidersAreCaught() {
        KitRun run = KitRun.of(Unloadable.class).assertFailedExactly("declaredProvidersLoadable");
        String msg = run.failure("declaredProvidersLoadable");
        assertTrue(msg.contains("NoSuchProvider (for " + QUANTIZER_SPI + ") cannot be loaded"), msg);
        assertTrue(msg.contains("Base must be a public concrete class"), msg);
        assertTrue(msg.contains("FixtureOptions does not implement " + QUANTIZER_SPI), msg);
    }

    @Test
    void jarReadsLikeItsClassFolder(@TempDir Path tmp) throws IOException {
        Path dir = agreeing();
        Path jar = tmp.resolve("plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        ServiceDeclarations fromDir = ServiceDeclarations.read(dir);
        ServiceDeclarations fromJar = ServiceDeclarations.read(jar);
        assertEquals(Map.of(QUANTIZER_SPI, Set.of(GOOD, IMAT)), fromJar.provides());
        assertEquals(fromDir.provides(), fromJar.provides());
        assertEquals(fromDir.services(), fromJar.services());
        assertEquals("dev.quant4j.servicefixture", fromJar.module().orElseThrow().name());
        assertEquals(List.of(), fromJar.mismatches());
    }
}
