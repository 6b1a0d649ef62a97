package dev.quant4j.api.json;

/** Writing JSON text: string quoting as Python's json.dumps does it. */
public final class JsonText {
    private JsonText() {
    }

    /** Quoting as json.dumps with ensure_ascii=False: only controls are escaped. */
    public static String quote(String v) {
        return quote(v, false);
    }

    /** Quoting as json.dumps; {@code asciiOnly} (ensure_ascii=True) also escapes everything past '~' as \\uXXXX. */
    public static String quote(String v, boolean asciiOnly) {
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || asciiOnly && c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
