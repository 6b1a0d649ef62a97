package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import java.nio.charset.StandardCharsets;

/**
 * One {@code --override-kv KEY=TYPE:VALUE} (TYPE: int, float, bool, str). llama-quantize both hands it to the
 * model loader (so the mixture rules see it) and writes it: {@code int} as UINT32 of the absolute value,
 * {@code float} as FLOAT32, {@code bool} as BOOL, {@code str} as STRING of at most 127 bytes.
 *
 * @param key     metadata key (1 to 127 bytes)
 * @param loaded  the value the loader sees (int as INT64, float as FLOAT64)
 * @param written the value written into the output
 */
record KvOverride(String key, MetaValue loaded, MetaValue written) {
    /** "str:" and 127 bytes, or a number with room for white space; anything longer is refused unread. */
    private static final int MAX_VALUE_CHARS = 4 + 127 + 64;

    static KvOverride parse(String text) {
        int eq = text.indexOf('=');
        // lengths are checked before anything is copied: a hostile multi-megabyte value fails at once
        int keyBytes = eq < 0 || eq >= 128 ? 128 : text.substring(0, eq).getBytes(StandardCharsets.UTF_8).length;
        if (eq <= 0 || keyBytes >= 128) {
            String shown = text.length() > 160 ? text.substring(0, 160) + "…" : text;
            throw new IllegalArgumentException("override-kv: malformed '" + shown
                    + "', expected KEY=TYPE:VALUE with a key of 1 to 127 bytes (TYPE: int, float, bool, str)");
        }
        if (text.length() - eq - 1 > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException("override-kv " + text.substring(0, eq) + ": the value is "
                    + (text.length() - eq - 1) + " characters long; a value is at most 127 bytes (str) or a number");
        }
        String key = text.substring(0, eq);
        if (key.equals("general.alignment")) {
            throw new IllegalArgumentException("override-kv: general.alignment cannot be overridden (the output "
                    + "is always written with llama-quantize's alignment of 32)");
        }
        String rest = text.substring(eq + 1);
        if (rest.startsWith("int:")) {
            String v = rest.substring(4).trim();
            if (!v.matches("[+-]?\\d{1,18}")) {
                throw new IllegalArgumentException("override-kv " + key + ": '" + v + "' is not an integer");
            }
            long n = Long.parseLong(v);
            return new KvOverride(key, new MetaValue.Int(MetaType.INT64, n),
                    new MetaValue.Int(MetaType.UINT32, Math.abs(n) & 0xFFFF_FFFFL));
        } else if (rest.startsWith("float:")) {
            String v = rest.substring(6).trim();
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("override-kv " + key + ": '" + v + "' is not a number");
            }
            return new KvOverride(key, new MetaValue.Real(MetaType.FLOAT64, d),
                    new MetaValue.Real(MetaType.FLOAT32, (float) d));
        } else if (rest.startsWith("bool:")) {
            String v = rest.substring(5);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("override-kv " + key + ": invalid boolean '" + v
                        + "', expected true or false");
            }
            MetaValue b = new MetaValue.Bool(v.equals("true"));
            return new KvOverride(key, b, b);
        } else if (rest.startsWith("str:")) {
            String v = rest.substring(4);
            if (v.getBytes(StandardCharsets.UTF_8).length > 127) {
                throw new IllegalArgumentException("override-kv " + key + ": string value longer than 127 bytes");
            }
            MetaValue s = new MetaValue.Text(v);
            return new KvOverride(key, s, s);
        }
        throw new IllegalArgumentException("override-kv " + key + ": invalid type in '" + rest
                + "', expected int:, float:, bool: or str:");
    }
}
