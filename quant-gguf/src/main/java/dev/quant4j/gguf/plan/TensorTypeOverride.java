package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code --tensor-type PATTERN=TYPE}: PATTERN is a regular expression searched anywhere in the tensor name.
 * Like llama-quantize, the pattern is lower-cased (ASCII) before compiling, so {@code \D} becomes {@code \d}.
 * Java's regex dialect stands in for ECMAScript's; they agree on everything but exotic constructs.
 */
record TensorTypeOverride(String text, Pattern pattern, DType type) {
    static final int MAX_PATTERN_CHARS = 1024;

    static TensorTypeOverride parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("tensor-type: malformed '" + text + "', expected REGEX=TYPE");
        }
        if (eq == 0) {
            throw new IllegalArgumentException("tensor-type: '" + text + "' has no tensor name pattern");
        }
        if (eq == text.length() - 1) {
            throw new IllegalArgumentException("tensor-type: '" + text + "' has no type");
        }
        if (eq > MAX_PATTERN_CHARS) {
            // tensor names are under 64 bytes; a pattern this long is a mistake, and deep nesting would overflow
            // the regex compiler's stack
            throw new IllegalArgumentException("tensor-type: the pattern is " + eq + " characters long; at most "
                    + MAX_PATTERN_CHARS + " are accepted");
        }
        String regex = asciiLower(text.substring(0, eq));
        DType type = TargetTypes.parse("tensor-type", text.substring(eq + 1));
        try {
            return new TensorTypeOverride(text, Pattern.compile(regex), type);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("tensor-type: '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    boolean matches(String tensorName) {
        return pattern.matcher(tensorName).find();
    }

    /** C's tolower in the "C" locale: only A-Z change. */
    static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
