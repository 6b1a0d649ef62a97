package dev.quant4j.api.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) for configuration files that plugins read without a JSON library:
 * objects become ordered, unmodifiable maps ({@code Map<String, Object>}), arrays unmodifiable lists, numbers
 * {@code Double}, strings, booleans and null themselves. Strict: one value per text, no comments, no trailing
 * commas, no duplicate keys, only the escapes JSON defines. Errors say line and column.
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming line, column and what was expected
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != p.s.length()) {
            throw p.error("unexpected '" + p.s.charAt(p.i) + "' after the value");
        }
        return v;
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

    private IllegalArgumentException error(String what) {
        int line = 1;
        int col = 1;
        for (int k = 0; k < Math.min(i, s.length()); k++) {
            if (s.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new IllegalArgumentException("JSON: " + what + " at line " + line + ", column " + col);
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("unexpected end of text");
        }
        return s.charAt(i);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "' but found '" + s.charAt(i) + "'");
        }
        i++;
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private Object value() {
        return switch (peek()) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("expected a value");
        }
        i += word.length();
        return v;
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        expect('{');
        ws();
        if (peek() == '}') {
            i++;
            return Collections.unmodifiableMap(m);
        }
        while (true) {
            ws();
            int at = i;
            String k = string();
            if (m.containsKey(k)) {
                i = at;
                throw error("duplicate key \"" + k + "\"");
            }
            ws();
            expect(':');
            ws();
            m.put(k, value());
            ws();
            if (peek() == '}') {
                i++;
                return Collections.unmodifiableMap(m);
            }
            expect(',');
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        expect('[');
        ws();
        if (peek() == ']') {
            i++;
            return Collections.unmodifiableList(l);
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            if (peek() == ']') {
                i++;
                return Collections.unmodifiableList(l);
            }
            expect(',');
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = peek();
            i++;
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                i--;
                throw error("control character in a string (escape it)");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = peek();
            i++;
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                }
                default -> {
                    i--;
                    throw error("invalid escape '\\" + e + "'");
                }
            }
        }
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    private Double number() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '0') {
            i++;
        } else if (!digits()) {
            i = start;
            throw error("expected a value");
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            if (!digits()) {
                throw error("expected digits after '.'");
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (!digits()) {
                throw error("expected digits in the exponent");
            }
        }
        return Double.parseDouble(s.substring(start, i));
    }

    private boolean digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > start;
    }
}
