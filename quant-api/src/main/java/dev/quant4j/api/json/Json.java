package dev.quant4j.api.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain-Java view of {@link JsonParser}'s strict JSON, for configuration files: objects become ordered,
 * unmodifiable maps ({@code Map<String, Object>}), arrays unmodifiable lists, numbers {@code Double}, strings,
 * booleans and null themselves. Errors say line and column. Untrusted input with typed access (safetensors
 * headers) uses {@link JsonParser} and {@link JsonValue} directly.
 */
public final class Json {
    private Json() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming line, column and what is wrong
     */
    public static Object parse(String text) {
        try {
            return plain(JsonParser.parse(text));
        } catch (JsonException e) {
            throw new IllegalArgumentException("JSON: " + e.problem() + " at " + lineColumn(text, e.offset()), e);
        }
    }

    /** Parses {@code text}, which must hold an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("JSON: expected an object at the top level");
        }
        return (Map<String, Object>) v;
    }

    private static Object plain(JsonValue v) {
        return switch (v) {
            case JsonValue.Obj o -> {
                Map<String, Object> m = new LinkedHashMap<>();
                o.members().forEach((k, x) -> m.put(k, plain(x)));
                yield Collections.unmodifiableMap(m);
            }
            case JsonValue.Arr a -> {
                List<Object> l = new ArrayList<>();
                a.values().forEach(x -> l.add(plain(x)));
                yield Collections.unmodifiableList(l);
            }
            case JsonValue.Str s -> s.value();
            case JsonValue.Num n -> n.asDouble();
            case JsonValue.Bool b -> b.value();
            case JsonValue.Null ignored -> null;
        };
    }

    private static String lineColumn(String s, long offset) {
        int line = 1;
        int col = 1;
        for (int k = 0; k < Math.min(offset, s.length()); k++) {
            if (s.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return "line " + line + ", column " + col;
    }
}
