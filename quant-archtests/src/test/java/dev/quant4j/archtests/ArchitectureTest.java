package dev.quant4j.archtests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import java.util.List;

/**
 * Checks every rule of {@link ArchitectureRules} over the main classes of every quant4j module on the test
 * class path (this module depends on all of them), after proving the import covers them all.
 *
 * <p>Rules are run from {@code @ArchTest} methods, not fields: surefire 3.5.3 silently skips {@code @ArchTest}
 * fields (TNG/ArchUnit#1442), which would turn this class green without checking anything.
 */
@AnalyzeClasses(packages = ArchitectureRules.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static void importCoversEveryModule(JavaClasses classes) {
        ImportCoverage.assertCovers(classes);
    }

    @ArchTest
    static void importLeavesOutTestClasses(JavaClasses classes) {
        List<String> fixtures = classes.stream().map(JavaClass::getName)
                .filter(n -> n.contains(".archfixtures.") || n.startsWith("dev.quant4j.archtests.")).toList();
        assertEquals(List.of(), fixtures, "test classes were imported as main classes");
    }

    @ArchTest
    static void rule1ApiDependsOnJdkOnly(JavaClasses classes) {
        ArchitectureRules.API_DEPENDS_ON_JDK_ONLY.check(classes);
    }

    @ArchTest
    static void rule1ApiNeverLogs(JavaClasses classes) {
        ArchitectureRules.API_NEVER_LOGS.check(classes);
    }

    @ArchTest
    static void kernelsDependOnJdkOnly(JavaClasses classes) {
        ArchitectureRules.KERNELS_DEPEND_ON_JDK_ONLY.check(classes);
    }

    @ArchTest
    static void rule2PluginsDependOnApiKernelsSlf4jOnly(JavaClasses classes) {
        ArchitectureRules.PLUGINS_DEPEND_ON_API_KERNELS_SLF4J_ONLY.check(classes);
    }

    @ArchTest
    static void rule3EngineAndCliImportNoPlugin(JavaClasses classes) {
        ArchitectureRules.ENGINE_AND_CLI_IMPORT_NO_PLUGIN.check(classes);
    }

    @ArchTest
    static void rule4ServiceLoaderOnlyInRegistry(JavaClasses classes) {
        ArchitectureRules.SERVICE_LOADER_ONLY_IN_REGISTRY.check(classes);
    }

    @ArchTest
    static void rule4NoStaticMutableState(JavaClasses classes) {
        ArchitectureRules.NO_STATIC_MUTABLE_STATE.check(classes);
    }

    @ArchTest
    static void rule5CliLibrariesOnlyInCli(JavaClasses classes) {
        ArchitectureRules.CLI_LIBRARIES_ONLY_IN_CLI.check(classes);
    }

    @ArchTest
    static void rule5NoStandardStreamsOutsideCli(JavaClasses classes) {
        ArchitectureRules.NO_STANDARD_STREAMS_OUTSIDE_CLI.check(classes);
    }

    @ArchTest
    static void rule6VectorApiOnlyInKernelsVector(JavaClasses classes) {
        ArchitectureRules.VECTOR_API_ONLY_IN_KERNELS_VECTOR.check(classes);
    }

    @ArchTest
    static void rule7NoCyclesBetweenModules(JavaClasses classes) {
        ArchitectureRules.NO_CYCLES_BETWEEN_MODULES.check(classes);
    }

    @ArchTest
    static void rule7NoCyclesBetweenPackages(JavaClasses classes) {
        ArchitectureRules.NO_CYCLES_BETWEEN_PACKAGES.check(classes);
    }
}
