package dev.quant4j.safetensors.hf;

import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code general.sampling.*} keys gguf-py's {@code Metadata.load} takes from generation_config.json, in the order
 * {@code set_gguf_meta_model} writes them (after general.type, before general.name): integers as INT32, reals as
 * FLOAT32, the sequence as a string. As in gguf-py, a generation_config.json that is not valid JSON is ignored, and
 * a key whose value has the wrong kind is left out (gguf-py would fail or write garbage there).
 */
final class GenerationConfig {
    private enum Kind { TEXT, INT, REAL }

    private record Key(String json, String gguf, Kind kind) {
    }

    private static final List<Key> KEYS = List.of(
            new Key("sequence", "sequence", Kind.TEXT), new Key("top_k", "top_k", Kind.INT),
            new Key("top_p", "top_p", Kind.REAL), new Key("min_p", "min_p", Kind.REAL),
            new Key("xtc_probability", "xtc_probability", Kind.REAL), new Key("xtc_threshold", "xtc_threshold", Kind.REAL),
            new Key("temperature", "temp", Kind.REAL), new Key("penalty_last_n", "penalty_last_n", Kind.INT),
            new Key("penalty_repeat", "penalty_repeat", Kind.REAL), new Key("mirostat", "mirostat", Kind.INT),
            new Key("mirostat_tau", "mirostat_tau", Kind.REAL), new Key("mirostat_eta", "mirostat_eta", Kind.REAL));

    private GenerationConfig() {
    }

    static List<Metadata.Entry> entries(Path dir) throws IOException {
        Optional<JsonValue.Obj> gen;
        try {
            gen = JsonFiles.readIfPresent(dir.resolve("generation_config.json"));
        } catch (dev.quant4j.api.error.CorruptFormatException e) {
            return List.of(); // gguf-py: "not all models have valid generation_config.json"
        }
        List<Metadata.Entry> out = new ArrayList<>();
        if (gen.isEmpty()) {
            return out;
        }
        for (Key k : KEYS) {
            Optional<JsonValue> v = gen.get().get(k.json());
            Optional<MetaValue> mv = switch (k.kind()) {
                case TEXT -> v.filter(JsonValue.Str.class::isInstance).map(s -> new MetaValue.Text(((JsonValue.Str) s).value()));
                case INT -> v.filter(n -> n instanceof JsonValue.Num num && num.isIntegral())
                        .flatMap(n -> ((JsonValue.Num) n).asLong())
                        .filter(x -> x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE).map(MetaValue::i32);
                case REAL -> v.filter(JsonValue.Num.class::isInstance).map(n -> (MetaValue) new MetaValue.Real(
                        MetaType.FLOAT32, (float) Double.parseDouble(((JsonValue.Num) n).text())));
            };
            mv.ifPresent(x -> out.add(new Metadata.Entry("general.sampling." + k.gguf(), x)));
        }
        return out;
    }
}
