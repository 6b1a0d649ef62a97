package dev.quant4j.archtests;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The rules of ARCHITECTURE.md ("Modules and who may depend on whom"), numbered as there. Each is one
 * constant, checked over every main class of quant4j by {@link ArchitectureTest} and shown to bite by
 * {@link RulesBiteTest} against deliberately violating classes.
 *
 * <p>Rules about modules that may still be empty ({@code allowEmptyShould}) rely on
 * {@link ImportCoverage} to prove the import is not vacuous.
 */
public final class ArchitectureRules {
    static final String ROOT = "dev.quant4j";
    static final String API = "dev.quant4j.api..";
    static final String KERNELS = "dev.quant4j.kernels..";
    static final String VECTOR = "dev.quant4j.kernels.vector..";
    static final String ENGINE = "dev.quant4j.engine..";
    static final String CLI = "dev.quant4j.cli..";
    static final String EVAL = "dev.quant4j.eval..";
    static final String REGISTRY = "dev.quant4j.api.registry..";
    /** Package roots of the plugins (module quant-int is package dev.quant4j.integer: int is a keyword). */
    static final List<String> PLUGIN_ROOTS = List.of("dev.quant4j.integer", "dev.quant4j.lowbit",
            "dev.quant4j.smooth", "dev.quant4j.importance", "dev.quant4j.gguf",
            "dev.quant4j.safetensors");
    static final String[] PLUGINS = PLUGIN_ROOTS.stream().map(p -> p + "..").toArray(String[]::new);

    private ArchitectureRules() {
    }

    /** 1a. quant-api depends on the JDK alone. */
    public static final ArchRule API_DEPENDS_ON_JDK_ONLY = classes().that().resideInAPackage(API)
            .should().onlyDependOnClassesThat().resideInAnyPackage(API, "java..")
            .because("rule 1: quant-api is the dependency-free SPI every plugin compiles against");

    /** 1b. quant-api never logs, not even through the JDK's own loggers. */
    public static final ArchRule API_NEVER_LOGS = noClasses().that().resideInAPackage(API)
            .should().dependOnClassesThat().resideInAnyPackage("java.util.logging..", "org.slf4j..",
                    "ch.qos.logback..", "org.apache.logging..", "org.apache.commons.logging..")
            .orShould().dependOnClassesThat().belongToAnyOf(System.Logger.class, System.LoggerFinder.class)
            .because("rule 1: quant-api reports through exceptions; logging is the application's choice");

    /** quant-kernels depends on the JDK alone (the incubating vector API included, see rule 6). */
    public static final ArchRule KERNELS_DEPEND_ON_JDK_ONLY = classes().that().resideInAPackage(KERNELS)
            .should().onlyDependOnClassesThat().resideInAnyPackage(KERNELS, "java..", "jdk.incubator.vector..")
            .because("quant-kernels holds numeric loops over primitives and MemorySegment, JDK only");

    /**
     * 2. A plugin depends on quant-api, quant-kernels, SLF4J and AutoService's annotations only: never on
     * another plugin, the engine, the CLI or the kit.
     */
    public static final ArchRule PLUGINS_DEPEND_ON_API_KERNELS_SLF4J_ONLY = pluginRule();

    private static ArchRule pluginRule() {
        CompositeArchRule rule = null;
        for (String plugin : PLUGIN_ROOTS) {
            ArchRule one = classes().that().resideInAPackage(plugin + "..")
                    .should().onlyDependOnClassesThat().resideInAnyPackage(plugin + "..", API, KERNELS,
                            "org.slf4j..", "com.google.auto.service..", "java..")
                    .allowEmptyShould(true);
            rule = rule == null ? CompositeArchRule.of(one) : rule.and(one);
        }
        return rule.because("rule 2: logic two plugins need moves down into quant-kernels or quant-api");
    }

    /** 3. The engine, quant-eval and the CLI reach plugins only by name through the registry. */
    public static final ArchRule ENGINE_AND_CLI_IMPORT_NO_PLUGIN = noClasses().that().resideInAnyPackage(ENGINE, EVAL, CLI)
            .should().dependOnClassesThat().resideInAnyPackage(PLUGINS)
            .allowEmptyShould(true)
            .because("rule 3: plugins are found through QuantRegistry, so any installed set works");

    /** 4a. ServiceLoader is used in exactly one place, the registry. */
    public static final ArchRule SERVICE_LOADER_ONLY_IN_REGISTRY = noClasses()
            .that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(REGISTRY)
            .should().dependOnClassesThat().belongToAnyOf(ServiceLoader.class)
            .because("rule 4: QuantRegistry is the one place that loads, validates and names providers");

    private static final Set<String> MUTABLE_TYPES = Set.of(
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.ArrayDeque", "java.util.EnumMap", "java.util.IdentityHashMap", "java.util.WeakHashMap",
            "java.util.Vector", "java.util.Hashtable", "java.util.Stack", "java.util.BitSet", "java.util.Random",
            "java.util.SplittableRandom", "java.lang.StringBuilder", "java.lang.StringBuffer");

    private static final DescribedPredicate<JavaClass> MUTABLE_TYPE = describe("a mutable collection, "
            + "atomic, concurrent or random type", c -> MUTABLE_TYPES.contains(c.getName())
            || c.getPackageName().equals("java.util.concurrent")
            || c.getPackageName().equals("java.util.concurrent.atomic"));

    /**
     * 4b. No static mutable state: every static field is final (compiler-generated ones aside), and no static
     * final field holds a mutable collection, atomic, concurrent or random object. Lookup tables in final
     * array fields stay allowed.
     */
    public static final ArchRule NO_STATIC_MUTABLE_STATE = CompositeArchRule
            .of(fields().that().areStatic().and().areDeclaredInClassesThat().resideInAPackage(ROOT + "..")
                    .and().doNotHaveModifier(JavaModifier.SYNTHETIC)
                    .should().beFinal())
            .and(noFields().that().areStatic().and().areDeclaredInClassesThat().resideInAPackage(ROOT + "..")
                    .should().haveRawType(MUTABLE_TYPE))
            .because("rule 4: shared state breaks thread safety, determinism and tests that run together");

    /** 5a. Jackson, picocli and Logback appear only in quant-cli. */
    public static final ArchRule CLI_LIBRARIES_ONLY_IN_CLI = noClasses()
            .that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(CLI)
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..", "picocli..",
                    "ch.qos.logback..")
            .because("rule 5: the library stays free of the CLI's JSON, argument parsing and logging backend");

    /** 5b. No System.out, System.err or printStackTrace outside the CLI. */
    public static final ArchRule NO_STANDARD_STREAMS_OUTSIDE_CLI = noClasses()
            .that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(CLI)
            .should(ACCESS_STANDARD_STREAMS)
            .because("rule 5: an embedding application owns the console; report through SLF4J or exceptions");

    /** 6. The incubating vector API is confined to dev.quant4j.kernels.vector. */
    public static final ArchRule VECTOR_API_ONLY_IN_KERNELS_VECTOR = noClasses()
            .that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(VECTOR)
            .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
            .because("rule 6: a scalar path always exists and runs where the incubator module is absent");

    /** 7a. No cycles between modules (dev.quant4j.X..). */
    public static final ArchRule NO_CYCLES_BETWEEN_MODULES = slices().matching(ROOT + ".(*)..")
            .should().beFreeOfCycles()
            .because("rule 7: modules form a layered graph");

    /** 7b. No cycles between packages, at every depth. */
    public static final ArchRule NO_CYCLES_BETWEEN_PACKAGES = slices().matching(ROOT + ".(**)")
            .should().beFreeOfCycles()
            .because("rule 7: packages form a layered graph");

    /** Every rule, for the positive check. */
    public static final List<ArchRule> ALL = List.of(API_DEPENDS_ON_JDK_ONLY, API_NEVER_LOGS, KERNELS_DEPEND_ON_JDK_ONLY,
            PLUGINS_DEPEND_ON_API_KERNELS_SLF4J_ONLY, ENGINE_AND_CLI_IMPORT_NO_PLUGIN, SERVICE_LOADER_ONLY_IN_REGISTRY,
            NO_STATIC_MUTABLE_STATE, CLI_LIBRARIES_ONLY_IN_CLI, NO_STANDARD_STREAMS_OUTSIDE_CLI,
            VECTOR_API_ONLY_IN_KERNELS_VECTOR, NO_CYCLES_BETWEEN_MODULES, NO_CYCLES_BETWEEN_PACKAGES);
}
