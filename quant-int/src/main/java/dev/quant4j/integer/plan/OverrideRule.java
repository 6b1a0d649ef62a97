package dev.quant4j.integer.plan;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code PATTERN=METHOD}: tensors whose name equals {@code PATTERN}, or fully matches it as a regular
 * expression, use {@code METHOD}. The text is split at the first '=', so patterns cannot contain one.
 */
public record OverrideRule(String pattern, Pattern regex, MethodSpec method) {
    public OverrideRule {
        Objects.requireNonNull(pattern);
        Objects.requireNonNull(regex);
        Objects.requireNonNull(method);
    }

    public static OverrideRule parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("overrides: '" + text + "' is not PATTERN=METHOD, e.g. "
                    + "'blk\\.0\\..*=int8' or 'output.weight=copy'");
        }
        String pattern = text.substring(0, eq).trim();
        return new OverrideRule(pattern, compile(pattern, "overrides"), MethodSpec.parse(text.substring(eq + 1),
                "overrides entry '" + text + "'"));
    }

    static Pattern compile(String pattern, String field) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(field + ": '" + pattern + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    public boolean matches(String tensor) {
        return tensor.equals(pattern) || regex.matcher(tensor).matches();
    }

    @Override
    public String toString() {
        return pattern + "=" + method;
    }
}
