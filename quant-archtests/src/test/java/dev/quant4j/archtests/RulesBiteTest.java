package dev.quant4j.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.quant4j.api.archfixtures.ApiUsingSlf4j;
import dev.quant4j.api.archfixtures.ApiUsingSystemLogger;
import dev.quant4j.api.archfixtures.CleanApiValue;
import dev.quant4j.cli.archfixtures.CliUsingJackson;
import dev.quant4j.cli.archfixtures.CliUsingPlugin;
import dev.quant4j.engine.archfixtures.EngineUsingJackson;
import dev.quant4j.engine.archfixtures.EngineUsingPlugin;
import dev.quant4j.engine.archfixtures.EngineUsingServiceLoader;
import dev.quant4j.engine.archfixtures.cycle.a.PackageA;
import dev.quant4j.engine.archfixtures.cycle.b.PackageB;
import dev.quant4j.gguf.archfixtures.GgufUsingEngine;
import dev.quant4j.importance.archfixtures.ImportanceUsingSmooth;
import dev.quant4j.integer.archfixtures.IntUsingLowbit;
import dev.quant4j.kernels.archfixtures.KernelUsingApi;
import dev.quant4j.kernels.archfixtures.KernelWithStaticState;
import dev.quant4j.kernels.archfixtures.ScalarKernelUsingVector;
import dev.quant4j.kernels.vector.archfixtures.VectorKernel;
import dev.quant4j.lowbit.archfixtures.LowbitHelper;
import dev.quant4j.lowbit.archfixtures.PrintingPlugin;
import dev.quant4j.smooth.archfixtures.SmoothUsingImportance;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureRules}, the very constant {@link ArchitectureTest} checks, fails on
 * deliberately violating classes (test sources under {@code dev.quant4j.*.archfixtures}, kept out of the main
 * import by DoNotIncludeTests) and passes on compliant ones, so a green architecture test means something.
 */
class RulesBiteTest {
    private static JavaClasses imported(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    /** The rule fails on {@code classes} and its report names every one of {@code fragments}. */
    private static void assertBites(ArchRule rule, Class<?>[] classes, String... fragments) {
        EvaluationResult r = rule.evaluate(imported(classes));
        assertTrue(r.hasViolation(), "rule did not fire: " + rule.getDescription());
        String report = String.join("\n", r.getFailureReport().getDetails());
        for (String f : fragments) {
            assertTrue(report.contains(f), "report lacks '" + f + "':\n" + report);
        }
    }

    private static void assertPasses(ArchRule rule, Class<?>... classes) {
        EvaluationResult r = rule.evaluate(imported(classes));
        assertFalse(r.hasViolation(), () -> "rule fired on compliant classes:\n" + r.getFailureReport());
    }

    private static Class<?>[] of(Class<?>... classes) {
        return classes;
    }

    /** Every rule in ALL has a bite test here and a check in ArchitectureTest (methods: see its note). */
    @Test
    void everyRuleIsCheckedAndBitten() throws Exception {
        long checks = java.util.Arrays.stream(ArchitectureTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(com.tngtech.archunit.junit.ArchTest.class))
                .filter(m -> m.getName().startsWith("rule") || m.getName().startsWith("kernels")).count();
        long bites = java.util.Arrays.stream(RulesBiteTest.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class))
                .filter(m -> m.getName().startsWith("rule") || m.getName().startsWith("kernels")).count();
        assertEquals(ArchitectureRules.ALL.size(), checks, "rules checked by ArchitectureTest");
        assertEquals(ArchitectureRules.ALL.size(), bites, "rules with a bite test");
    }

    @Test
    void rule1ApiDependsOnJdkOnly() {
        assertBites(ArchitectureRules.API_DEPENDS_ON_JDK_ONLY, of(ApiUsingSlf4j.class), "org.slf4j.Logger");
        assertPasses(ArchitectureRules.API_DEPENDS_ON_JDK_ONLY, CleanApiValue.class, ApiUsingSystemLogger.class);
    }

    @Test
    void rule1ApiNeverLogs() {
        assertBites(ArchitectureRules.API_NEVER_LOGS, of(ApiUsingSlf4j.class, ApiUsingSystemLogger.class),
                "ApiUsingSlf4j", "org.slf4j.Logger", "ApiUsingSystemLogger", "java.lang.System$Logger");
        assertPasses(ArchitectureRules.API_NEVER_LOGS, CleanApiValue.class);
    }

    @Test
    void kernelsDependOnJdkOnly() {
        assertBites(ArchitectureRules.KERNELS_DEPEND_ON_JDK_ONLY, of(KernelUsingApi.class), "dev.quant4j.api.tensor.DType");
        assertPasses(ArchitectureRules.KERNELS_DEPEND_ON_JDK_ONLY, KernelWithStaticState.class, VectorKernel.class);
    }

    @Test
    void rule2PluginsDependOnApiKernelsSlf4jOnly() {
        assertBites(ArchitectureRules.PLUGINS_DEPEND_ON_API_KERNELS_SLF4J_ONLY,
                of(IntUsingLowbit.class, GgufUsingEngine.class, LowbitHelper.class),
                "IntUsingLowbit", "dev.quant4j.lowbit.archfixtures.LowbitHelper",
                "GgufUsingEngine", "dev.quant4j.engine.archfixtures.EngineUsingServiceLoader");
        assertPasses(ArchitectureRules.PLUGINS_DEPEND_ON_API_KERNELS_SLF4J_ONLY, LowbitHelper.class);
    }

    @Test
    void rule3EngineAndCliImportNoPlugin() {
        assertBites(ArchitectureRules.ENGINE_AND_CLI_IMPORT_NO_PLUGIN, of(EngineUsingPlugin.class, CliUsingPlugin.class),
                "EngineUsingPlugin", "IntUsingLowbit", "CliUsingPlugin", "LowbitHelper");
        assertPasses(ArchitectureRules.ENGINE_AND_CLI_IMPORT_NO_PLUGIN, EngineUsingJackson.class, CliUsingJackson.class);
    }

    @Test
    void rule4ServiceLoaderOnlyInRegistry() {
        assertBites(ArchitectureRules.SERVICE_LOADER_ONLY_IN_REGISTRY, of(EngineUsingServiceLoader.class),
                "java.util.ServiceLoader");
        assertPasses(ArchitectureRules.SERVICE_LOADER_ONLY_IN_REGISTRY, EngineUsingPlugin.class);
    }

    @Test
    void rule4NoStaticMutableState() {
        EvaluationResult r = ArchitectureRules.NO_STATIC_MUTABLE_STATE.evaluate(imported(KernelWithStaticState.class));
        String report = String.join("\n", r.getFailureReport().getDetails());
        for (String field : new String[] {".calls", ".SEEN", ".TOTAL"}) {
            assertTrue(report.contains("KernelWithStaticState" + field), "no violation for " + field + ":\n" + report);
        }
        for (String allowed : new String[] {".TABLE", ".NAME"}) {
            assertFalse(report.contains("KernelWithStaticState" + allowed), allowed + " is allowed:\n" + report);
        }
        assertPasses(ArchitectureRules.NO_STATIC_MUTABLE_STATE, CleanApiValue.class, LowbitHelper.class);
    }

    @Test
    void rule5CliLibrariesOnlyInCli() {
        assertBites(ArchitectureRules.CLI_LIBRARIES_ONLY_IN_CLI, of(EngineUsingJackson.class),
                "com.fasterxml.jackson.databind.ObjectMapper");
        assertPasses(ArchitectureRules.CLI_LIBRARIES_ONLY_IN_CLI, CliUsingJackson.class, LowbitHelper.class);
    }

    @Test
    void rule5NoStandardStreamsOutsideCli() {
        assertBites(ArchitectureRules.NO_STANDARD_STREAMS_OUTSIDE_CLI, of(PrintingPlugin.class),
                "java.lang.System.out", "printStackTrace");
        assertPasses(ArchitectureRules.NO_STANDARD_STREAMS_OUTSIDE_CLI, CliUsingJackson.class, CliUsingPlugin.class,
                LowbitHelper.class);
    }

    @Test
    void rule6VectorApiOnlyInKernelsVector() {
        assertBites(ArchitectureRules.VECTOR_API_ONLY_IN_KERNELS_VECTOR, of(ScalarKernelUsingVector.class),
                "jdk.incubator.vector.FloatVector");
        assertPasses(ArchitectureRules.VECTOR_API_ONLY_IN_KERNELS_VECTOR, VectorKernel.class, KernelWithStaticState.class);
    }

    @Test
    void rule7NoCyclesBetweenModules() {
        assertBites(ArchitectureRules.NO_CYCLES_BETWEEN_MODULES,
                of(SmoothUsingImportance.class, ImportanceUsingSmooth.class), "smooth", "importance");
        assertPasses(ArchitectureRules.NO_CYCLES_BETWEEN_MODULES, PackageA.class, PackageB.class);
    }

    @Test
    void rule7NoCyclesBetweenPackages() {
        assertBites(ArchitectureRules.NO_CYCLES_BETWEEN_PACKAGES, of(PackageA.class, PackageB.class),
                "cycle.a", "cycle.b");
        assertPasses(ArchitectureRules.NO_CYCLES_BETWEEN_PACKAGES, LowbitHelper.class, PrintingPlugin.class);
    }
}
