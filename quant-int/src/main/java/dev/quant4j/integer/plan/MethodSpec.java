package dev.quant4j.integer.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A quantizer name with its options, written {@code name[:key=value[:key=value...]]}, e.g. {@code int8},
 * {@code int4:group-size=64}, {@code int8:granularity=per-group:group-size=32}. The name {@value #COPY} means
 * "write the tensor unchanged".
 */
public record MethodSpec(String name, Map<String, String> options) {
    public static final String COPY = "copy";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");

    public MethodSpec {
        Objects.requireNonNull(name);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses {@code text}; {@code field} names the option it came from for the error message. */
    public static MethodSpec parse(String text, String field) {
        String[] parts = text.trim().split(":", -1);
        String name = parts[0].trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + ": '" + text + "' does not start with a quantizer name"
                    + " ([a-z0-9_-]+), e.g. int8 or int4:group-size=64");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String kv = parts[i].trim();
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(field + ": '" + text + "': option '" + kv
                        + "' is not key=value (write name:key=value:key=value)");
            }
            String key = kv.substring(0, eq).trim();
            if (opts.put(key, kv.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(field + ": '" + text + "' sets option '" + key + "' twice");
            }
        }
        if (name.equals(COPY) && !opts.isEmpty()) {
            throw new IllegalArgumentException(field + ": '" + text + "': copy takes no options");
        }
        return new MethodSpec(name, opts);
    }

    public boolean isCopy() {
        return name.equals(COPY);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        options.forEach((k, v) -> sb.append(':').append(k).append('=').append(v));
        return sb.toString();
    }
}
