package dev.quant4j.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The outcome of running one kit subclass on the Jupiter engine through EngineTestKit: which check methods
 * passed, failed or were skipped by an assumption.
 *
 * @param failures failed check name -> its failure message
 */
record KitRun(Class<?> testClass, Set<String> passed, Map<String, String> failures, Set<String> skipped) {

    static KitRun of(Class<?> testClass) {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
        assertEquals(0, r.containerEvents().failed().count(), () -> testClass + " did not even start: "
                + r.containerEvents().failed().stream().map(KitRun::message).toList());
        Set<String> passed = new TreeSet<>();
        Map<String, String> failed = new TreeMap<>();
        Set<String> skipped = new TreeSet<>();
        r.testEvents().succeeded().stream().forEach(e -> passed.add(method(e)));
        r.testEvents().failed().stream().forEach(e -> failed.put(method(e), message(e)));
        r.testEvents().aborted().stream().forEach(e -> skipped.add(method(e)));
        r.testEvents().skipped().stream().forEach(e -> skipped.add(method(e)));
        KitRun run = new KitRun(testClass, passed, failed, skipped);
        Set<String> all = new TreeSet<>(passed);
        all.addAll(failed.keySet());
        all.addAll(skipped);
        assertEquals(checks(testClass), all, testClass.getSimpleName() + ": every check must have run");
        return run;
    }

    /** Every @Test method the class inherits from the kit. */
    static Set<String> checks(Class<?> testClass) {
        Set<String> out = new TreeSet<>();
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            Arrays.stream(c.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class))
                    .map(Method::getName).forEach(out::add);
        }
        return out;
    }

    private static String method(Event e) {
        return e.getTestDescriptor().getSource().filter(MethodSource.class::isInstance)
                .map(s -> ((MethodSource) s).getMethodName()).orElse(e.getTestDescriptor().getDisplayName());
    }

    private static String message(Event e) {
        return e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("?");
    }

    /** Asserts that exactly {@code checks} failed (none when empty), showing every failure message otherwise. */
    KitRun assertFailedExactly(String... checks) {
        Set<String> want = new TreeSet<>(Arrays.asList(checks));
        assertEquals(want, failures.keySet(), () -> testClass.getSimpleName() + " failed other checks than expected:\n"
                + failures.entrySet().stream().map(e -> "  " + e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("\n")));
        return this;
    }

    KitRun assertSkippedExactly(String... checks) {
        assertEquals(new TreeSet<>(Arrays.asList(checks)), skipped, testClass.getSimpleName() + ": skipped checks");
        return this;
    }

    String failure(String check) {
        return failures.get(check);
    }
}
