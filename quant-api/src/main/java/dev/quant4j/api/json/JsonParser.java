package dev.quant4j.api.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser for untrusted input: one value, no trailing data, no duplicate object keys, no lone
 * surrogates, nesting at most {@link #MAX_DEPTH}. The caller bounds the input size before calling; the parser
 * never allocates more than a small multiple of the input.
 */
public final class JsonParser {
    /** Deeper nesting than any safetensors header or HF config needs; stops stack exhaustion. */
    public static final int MAX_DEPTH = 64;

    private final String s;
    private int pos;

    private JsonParser(String s) {
        this.s = s;
    }

    public static JsonValue parse(String text) throws JsonException {
        JsonParser p = new JsonParser(text);
        p.skipSpace();
        JsonValue v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw new JsonException(p.pos, "trailing data after the JSON value");
        }
        return v;
    }

    private JsonValue value(int depth) throws JsonException {
        if (pos >= s.length()) {
            throw new JsonException(pos, "unexpected end of input");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> new JsonValue.Str(string());
            case 't' -> literal("true", new JsonValue.Bool(true));
            case 'f' -> literal("false", new JsonValue.Bool(false));
            case 'n' -> literal("null", new JsonValue.Null());
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new JsonException(pos, "unexpected character " + describe(c));
            }
        };
    }

    private JsonValue object(int depth) throws JsonException {
        checkDepth(depth);
        pos++;
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return new JsonValue.Obj(members);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw new JsonException(pos, "expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            JsonValue v = value(depth);
            if (members.putIfAbsent(key, v) != null) {
                throw new JsonException(keyAt, "duplicate key \"" + key + "\"");
            }
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                return new JsonValue.Obj(members);
            }
            if (c != ',') {
                throw new JsonException(pos - 1, "expected ',' or '}' in an object");
            }
        }
    }

    private JsonValue array(int depth) throws JsonException {
        checkDepth(depth);
        pos++;
        List<JsonValue> values = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return new JsonValue.Arr(values);
        }
        while (true) {
            skipSpace();
            values.add(value(depth));
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                return new JsonValue.Arr(values);
            }
            if (c != ',') {
                throw new JsonException(pos - 1, "expected ',' or ']' in an array");
            }
        }
    }

    private void checkDepth(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw new JsonException(pos, "nesting deeper than " + MAX_DEPTH);
        }
    }

    private String string() throws JsonException {
        int start = pos;
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new JsonException(start, "unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw new JsonException(pos - 1, "control character " + describe(c) + " in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw new JsonException(start, "unterminated string");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> throw new JsonException(pos - 1, "invalid escape \\" + describe(e));
            }
        }
        String out = b.toString();
        checkSurrogates(out, start);
        return out;
    }

    private char hex4() throws JsonException {
        if (pos + 4 > s.length()) {
            throw new JsonException(pos, "truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0) {
                throw new JsonException(pos + i, "invalid hex digit in \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private static void checkSurrogates(String v, int at) throws JsonException {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new JsonException(at, "lone surrogate in a string");
            }
        }
    }

    private JsonValue number() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw new JsonException(pos, "invalid number");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw new JsonException(pos, "digit expected after the decimal point");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw new JsonException(pos, "digit expected in the exponent");
            }
            digits();
        }
        if (pos - start > 400) {
            throw new JsonException(start, "number longer than 400 characters");
        }
        return new JsonValue.Num(s.substring(start, pos));
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private JsonValue literal(String word, JsonValue v) throws JsonException {
        if (!s.startsWith(word, pos)) {
            throw new JsonException(pos, "invalid literal");
        }
        pos += word.length();
        return v;
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) {
            throw new JsonException(pos, "expected '" + c + "'");
        }
        pos++;
    }

    /** The current character, or NUL at the end (never valid where a token is expected). */
    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
