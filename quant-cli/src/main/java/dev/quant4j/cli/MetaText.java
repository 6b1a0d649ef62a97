package dev.quant4j.cli;

import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import java.util.List;

/** Metadata values as short human-readable text: strings quoted and clipped, long arrays summarised. */
final class MetaText {
    static final int MAX_STRING = 60;
    static final int MAX_ITEMS = 6;

    private MetaText() {
    }

    /** Scalars in full (strings clipped); arrays as {@code [type × n] first, items, …}. */
    static String summary(MetaValue v) {
        if (v instanceof MetaValue.Array(MetaType element, List<MetaValue> values)) {
            StringBuilder b = new StringBuilder("[").append(element.label()).append(" × ").append(values.size())
                    .append(']');
            for (int i = 0; i < Math.min(values.size(), MAX_ITEMS); i++) {
                b.append(i == 0 ? " " : ", ").append(item(values.get(i)));
            }
            if (values.size() > MAX_ITEMS) {
                b.append(", …");
            }
            return b.toString();
        }
        return scalar(v);
    }

    private static String item(MetaValue v) {
        return v instanceof MetaValue.Array(MetaType element, List<MetaValue> values)
                ? "[" + element.label() + " × " + values.size() + "]" : scalar(v);
    }

    static String scalar(MetaValue v) {
        return switch (v) {
            case MetaValue.Int(MetaType t, long x) -> t == MetaType.UINT64 ? Long.toUnsignedString(x) : Long.toString(x);
            case MetaValue.Real(MetaType t, double x) -> t == MetaType.FLOAT32 ? Float.toString((float) x)
                    : Double.toString(x);
            case MetaValue.Bool(boolean b) -> Boolean.toString(b);
            case MetaValue.Text(String s) -> quote(s);
            case MetaValue.Array a -> summary(a);
        };
    }

    /** Quoted, control characters escaped, clipped to {@link #MAX_STRING} characters with the full length. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        int n = Math.min(s.length(), MAX_STRING);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (s.length() > n) {
            b.append("… (").append(s.length()).append(" chars)");
        }
        return b.toString();
    }
}
