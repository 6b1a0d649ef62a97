package dev.quant4j.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** One lookup per protection domain gives each class its own location, as the lookup per class did. */
class OriginsTest {
    @Test
    void classesOfOneLocationShareItAndOthersKeepTheirs() {
        Origins origins = new Origins();
        String main = QuantRegistry.originOf(QuantRegistry.class);
        String junit = QuantRegistry.originOf(Test.class);
        assertNotEquals(main, junit, "two locations (this module's classes, the JUnit jar)");
        assertEquals(main, origins.of(QuantRegistry.class));
        assertEquals(junit, origins.of(Test.class), "a second location is not answered from the first");
        assertEquals(main, origins.of(RegistryEntry.class), "another class of the first location");
        assertEquals(QuantRegistry.originOf(OriginsTest.class), origins.of(OriginsTest.class), "test classes' folder");
        assertEquals("unknown", origins.of(String.class), "a JDK class has no code source");
        assertEquals(QuantRegistry.originOf(String.class), origins.of(String.class));
    }
}
