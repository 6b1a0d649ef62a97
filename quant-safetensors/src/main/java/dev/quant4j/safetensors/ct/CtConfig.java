package dev.quant4j.safetensors.ct;

import dev.quant4j.api.json.JsonText;
import dev.quant4j.api.json.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * config.json with the {@code quantization_config} compressed-tensors' ModelCompressor.update_config writes
 * (compressed-tensors 0.18.0): the QuantizationConfig dump plus version, quant_method, sparsity_config and
 * transform_config, the whole file as json.dump(indent=2, sort_keys=True) writes it (ASCII, escaped).
 */
public final class CtConfig {
    public static final String VERSION = "0.18.0";

    private CtConfig() {
    }

    public static String configJson(JsonValue.Obj source, CtScheme scheme) {
        return configJson(source, scheme, List.of());
    }

    /** As {@link #configJson(JsonValue.Obj, CtScheme)}, with modules ignored besides lm_head (MoE routers). */
    public static String configJson(JsonValue.Obj source, CtScheme scheme, List<String> moreIgnored) {
        Map<String, String> top = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : source.members().entrySet()) {
            if (!e.getKey().equals("quantization_config")) {
                top.put(e.getKey(), write(e.getValue(), "  "));
            }
        }
        top.put("quantization_config", quantizationConfig(scheme, "  ", moreIgnored));
        StringBuilder b = new StringBuilder("{");
        String sep = "\n";
        for (Map.Entry<String, String> e : top.entrySet()) {
            b.append(sep).append("  ").append(quote(e.getKey())).append(": ").append(e.getValue());
            sep = ",\n";
        }
        return b.append("\n}").toString();
    }

    static String quantizationConfig(CtScheme scheme, String indent) {
        return quantizationConfig(scheme, indent, List.of());
    }

    static String quantizationConfig(CtScheme scheme, String indent, List<String> moreIgnored) {
        StringBuilder ignored = new StringBuilder(i(indent) + "  \"lm_head\"");
        for (String x : moreIgnored) {
            ignored.append(",\n").append(i(indent)).append("  ").append(quote(x));
        }
        String i1 = indent + "  ";
        String i2 = i1 + "  ";
        String i3 = i2 + "  ";
        return "{\n"
                + i1 + "\"config_groups\": {\n"
                + i2 + "\"group_0\": {\n"
                + i3 + "\"format\": \"" + scheme.format() + "\",\n"
                + i3 + "\"input_activations\": " + scheme.inputActivations().map(a -> a.toJson(i3)).orElse("null") + ",\n"
                + i3 + "\"output_activations\": null,\n"
                + i3 + "\"targets\": [\n" + i3 + "  \"Linear\"\n" + i3 + "],\n"
                + i3 + "\"weights\": " + scheme.weights().toJson(i3) + "\n"
                + i2 + "}\n"
                + i1 + "},\n"
                + i1 + "\"format\": \"" + scheme.format() + "\",\n"
                + i1 + "\"global_compression_ratio\": null,\n"
                + i1 + "\"ignore\": [\n" + ignored + "\n" + i1 + "],\n"
                + i1 + "\"kv_cache_scheme\": null,\n"
                + i1 + "\"quant_method\": \"compressed-tensors\",\n"
                + i1 + "\"quantization_status\": \"compressed\",\n"
                + i1 + "\"sparsity_config\": {},\n"
                + i1 + "\"transform_config\": {},\n"
                + i1 + "\"version\": \"" + VERSION + "\"\n"
                + indent + "}";
    }

    private static String i(String indent) {
        return indent + "  ";
    }

    /** A JSON value re-serialized as json.dump(indent=2, sort_keys=True); numbers keep their text. */
    static String write(JsonValue v, String indent) {
        String in = indent + "  ";
        return switch (v) {
            case JsonValue.Null n -> "null";
            case JsonValue.Bool b -> String.valueOf(b.value());
            case JsonValue.Num n -> n.text();
            case JsonValue.Str s -> quote(s.value());
            case JsonValue.Arr a -> {
                if (a.values().isEmpty()) {
                    yield "[]";
                }
                StringBuilder b = new StringBuilder("[");
                String sep = "\n";
                for (JsonValue x : a.values()) {
                    b.append(sep).append(in).append(write(x, in));
                    sep = ",\n";
                }
                yield b.append('\n').append(indent).append(']').toString();
            }
            case JsonValue.Obj o -> {
                if (o.members().isEmpty()) {
                    yield "{}";
                }
                StringBuilder b = new StringBuilder("{");
                String sep = "\n";
                for (Map.Entry<String, JsonValue> e : new TreeMap<>(o.members()).entrySet()) {
                    b.append(sep).append(in).append(quote(e.getKey())).append(": ").append(write(e.getValue(), in));
                    sep = ",\n";
                }
                yield b.append('\n').append(indent).append('}').toString();
            }
        };
    }

    /** Python's json.dumps string quoting with ensure_ascii=True. */
    static String quote(String s) {
        return JsonText.quote(s, true);
    }
}
