package dev.quant4j.api.spi;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an options record from {@code key=value} strings. Keys are the record components in kebab-case
 * ({@code groupSize} is {@code group-size}); {@code List<String>} components take comma-separated items, or
 * one item per line when the value contains line breaks; components not given take their type's default
 * (0, false, null) unless the record declares {@code public static R defaults()}, whose values are used.
 * The record's compact constructor validates; its {@link IllegalArgumentException} becomes an
 * INVALID_OPTION error naming the provider and the field.
 */
public final class OptionParser {
    private OptionParser() {
    }

    public static <O extends Record> O parse(String provider, Class<O> type, Map<String, String> values) {
        RecordComponent[] comps = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new HashMap<>();
        for (RecordComponent c : comps) {
            byKey.put(kebab(c.getName()), c);
        }
        for (String key : values.keySet()) {
            if (!byKey.containsKey(key)) {
                throw new QuantException(ErrorCode.INVALID_OPTION, provider + ": unknown option '" + key
                        + "'. Options: " + (byKey.isEmpty() ? "none" : byKey.keySet().stream().sorted().toList()));
            }
        }
        O defaults = defaults(type);
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            types[i] = c.getType();
            String raw = values.get(kebab(c.getName()));
            if (raw != null) {
                args[i] = convert(provider, kebab(c.getName()), c.getType(), raw);
            } else if (defaults != null) {
                args[i] = read(c, defaults);
            } else {
                args[i] = zero(c.getType());
            }
        }
        try {
            Constructor<O> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof QuantException q) {
                throw q;
            }
            throw new QuantException(ErrorCode.INVALID_OPTION, provider + ": " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " is not a usable options record", e);
        }
    }

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

    @SuppressWarnings("unchecked")
    private static <O extends Record> O defaults(Class<O> type) {
        try {
            var m = type.getMethod("defaults");
            if (java.lang.reflect.Modifier.isStatic(m.getModifiers()) && m.getReturnType() == type) {
                return (O) m.invoke(null);
            }
            return null;
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + ".defaults() failed", e);
        }
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object zero(Class<?> t) {
        if (t == int.class) {
            return 0;
        } else if (t == long.class) {
            return 0L;
        } else if (t == float.class) {
            return 0f;
        } else if (t == double.class) {
            return 0d;
        } else if (t == boolean.class) {
            return false;
        } else if (t == List.class) {
            return List.of();
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(String provider, String key, Class<?> t, String raw) {
        try {
            if (t == String.class) {
                return raw;
            } else if (t == int.class || t == Integer.class) {
                return Integer.parseInt(raw.trim());
            } else if (t == long.class || t == Long.class) {
                return Long.parseLong(raw.trim());
            } else if (t == float.class || t == Float.class) {
                return Float.parseFloat(raw.trim());
            } else if (t == double.class || t == Double.class) {
                return Double.parseDouble(raw.trim());
            } else if (t == boolean.class || t == Boolean.class) {
                String v = raw.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException("expected true or false");
                }
                return Boolean.parseBoolean(v);
            } else if (t.isEnum()) {
                String v = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
                for (Object c : t.getEnumConstants()) {
                    if (((Enum) c).name().equals(v)) {
                        return c;
                    }
                }
                List<String> names = new ArrayList<>();
                for (Object c : t.getEnumConstants()) {
                    names.add(((Enum) c).name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
                throw new IllegalArgumentException("expected one of " + names);
            } else if (t == List.class) {
                // one item per line when the value has line breaks (items that may hold commas, e.g. regexes)
                String sep = raw.contains("\n") ? "\n" : ",";
                return raw.isBlank() ? List.of() : Arrays.stream(raw.split(sep)).map(String::trim)
                        .filter(v -> !v.isEmpty()).toList();
            }
        } catch (IllegalArgumentException e) {
            throw new QuantException(ErrorCode.INVALID_OPTION, provider + ": option '" + key + "' = '" + raw
                    + "' is invalid: " + e.getMessage());
        }
        throw new IllegalStateException("option '" + key + "' has unsupported type " + t.getName());
    }
}
