package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Provider;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Malformed option values per component type, and the check that a provider refuses them properly. */
final class OptionProbes {
    /** A component's kebab-case key and a value its type cannot parse. */
    record Probe(String key, String garbage) {
    }

    private OptionProbes() {
    }

    /** One probe per component whose type rejects some strings; String and List components accept anything. */
    static List<Probe> garbageProbes(Class<? extends Record> type) {
        List<Probe> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            String garbage = garbageFor(c.getType());
            if (garbage != null) {
                out.add(new Probe(kebab(c.getName()), garbage));
            }
        }
        return out;
    }

    private static String garbageFor(Class<?> t) {
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class
                || t == float.class || t == Float.class || t == double.class || t == Double.class) {
            return "not-a-number";
        } else if (t == boolean.class || t == Boolean.class) {
            return "maybe";
        } else if (t.isEnum()) {
            return "tck-no-such-constant";
        }
        return null;
    }

    /** {@code groupSize} is {@code group-size}, as OptionParser spells keys. */
    static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('-').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** Parsing {@code values} fails with INVALID_OPTION and a message naming {@code key}. */
    static void assertRejected(Provider<?> p, Map<String, String> values, String key, String what) {
        String name = p.descriptor().name();
        Object parsed;
        try {
            parsed = p.parseOptions(values);
        } catch (QuantException e) {
            assertEquals(ErrorCode.INVALID_OPTION, e.code(), name + ": " + what + " failed with the wrong code: " + e);
            assertTrue(e.getMessage() != null && e.getMessage().contains(key), name + ": the error for " + what
                    + " must name '" + key + "' so the user knows what to fix; it said: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(name + ": " + what + " must fail with QuantException(INVALID_OPTION), not " + e, e);
        }
        fail(name + ": " + what + " was accepted (parsed as " + parsed + "); it must be refused with INVALID_OPTION");
    }
}
