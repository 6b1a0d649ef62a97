package dev.quant4j.safetensors.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.safetensors.SafetensorsFormatProvider;
import dev.quant4j.safetensors.io.SharedData;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HF directory opened as a GGUF model equals what llama.cpp's convert_hf_to_gguf.py wrote from it at the
 * outtype of the stored precision: every tensor's name, type, shape and SHA-256 in the same order, and every
 * metadata key/value of the manifest (../shared/reference/hf/D/convert-T.gguf.manifest.json), except the keys
 * listed as known differences in docs/safetensors.md.
 */
class ManifestTest {
    /** Keys we do not reproduce (none so far; docs/safetensors.md lists any). */
    private static final Set<String> NOT_REPRODUCED = Set.of();

    @ParameterizedTest
    @CsvSource({"tiny-shakespeare-256-f32,f32", "tiny-shakespeare-256-bf16-sharded,bf16", "tiny-random-bpe-f16,f16"})
    void tensorsAndMetadataMatchConvertHfToGguf(String folder, String outtype) throws Exception {
        Path dir = SharedData.require("reference/hf/" + folder);
        JsonValue.Obj manifest = (JsonValue.Obj) JsonParser.parse(Files.readString(dir.resolve("convert-" + outtype + ".gguf.manifest.json")));
        try (ModelReader r = new SafetensorsFormatProvider().open(dir)) {
            List<JsonValue> want = manifest.array("tensors").orElseThrow().values();
            List<TensorInfo> got = r.tensors();
            assertEquals(want.stream().map(t -> ((JsonValue.Obj) t).string("name").orElseThrow()).toList(),
                    got.stream().map(TensorInfo::name).toList(), "tensor names in convert_hf_to_gguf's order");
            for (int i = 0; i < want.size(); i++) {
                JsonValue.Obj w = (JsonValue.Obj) want.get(i);
                TensorInfo t = got.get(i);
                assertEquals(w.string("type").orElseThrow(), t.type().ggmlName().toUpperCase(), t.name() + " type");
                List<Long> ne = w.array("ne").orElseThrow().values().stream().map(v -> ((JsonValue.Num) v).asLong().orElseThrow()).toList();
                assertEquals(ne, t.shape().dims(), t.name() + " shape");
                assertEquals(w.string("sha256").orElseThrow(), sha256(r.view(t).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)),
                        t.name() + " bytes differ from convert_hf_to_gguf's");
            }
            List<String> differences = new ArrayList<>();
            Metadata md = r.metadata();
            List<String> wantKeys = new ArrayList<>();
            for (JsonValue e : manifest.array("kv").orElseThrow().values()) {
                JsonValue.Obj kv = (JsonValue.Obj) e;
                String key = kv.string("key").orElseThrow();
                wantKeys.add(key);
                if (NOT_REPRODUCED.contains(key)) {
                    continue;
                }
                MetaValue v = md.get(key).orElse(null);
                if (v == null) {
                    differences.add(key + ": missing");
                } else if (!matches(kv, v)) {
                    differences.add(key + ": " + kv.get("value").or(() -> kv.get("sha256")).orElseThrow() + " != " + brief(v));
                }
            }
            for (Metadata.Entry e : md.entries()) {
                if (!wantKeys.contains(e.key())) {
                    differences.add(e.key() + ": not written by convert_hf_to_gguf");
                }
            }
            assertEquals(List.of(), differences, "metadata differences");
            List<String> order = md.entries().stream().map(Metadata.Entry::key).toList();
            assertEquals(wantKeys.stream().filter(k -> !NOT_REPRODUCED.contains(k)).toList(), order, "key order");
        }
    }

    private static String brief(MetaValue v) {
        String s = v.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static boolean matches(JsonValue.Obj kv, MetaValue v) throws Exception {
        String type = kv.string("type").orElseThrow();
        if (kv.get("sha256").isPresent() && v instanceof MetaValue.Array a) {
            return kv.string("sha256").get().equals(sha256(encode(a))) && kv.integer("count").orElseThrow() == a.values().size();
        }
        JsonValue want = kv.get("value").orElseThrow();
        return switch (type) {
            case "STRING" -> v instanceof MetaValue.Text t && t.value().equals(((JsonValue.Str) want).value());
            case "BOOL" -> v instanceof MetaValue.Bool b && b.value() == ((JsonValue.Bool) want).value();
            case "FLOAT32" -> v instanceof MetaValue.Real r && r.type().label().equals("float32")
                    && (float) r.value() == (float) ((JsonValue.Num) want).asDouble();
            case "UINT32", "INT32" -> v instanceof MetaValue.Int i && i.type().label().equals(type.toLowerCase())
                    && i.value() == ((JsonValue.Num) want).asLong().orElseThrow();
            default -> {
                if (!(v instanceof MetaValue.Array a) || !type.equals("ARRAY[" + a.elementType().label().toUpperCase() + "]")) {
                    yield false;
                }
                List<JsonValue> w = ((JsonValue.Arr) want).values();
                if (w.size() != a.values().size()) {
                    yield false;
                }
                for (int i = 0; i < w.size(); i++) {
                    MetaValue x = a.values().get(i);
                    JsonValue y = w.get(i);
                    boolean ok = switch (x) {
                        case MetaValue.Text t -> t.value().equals(((JsonValue.Str) y).value());
                        case MetaValue.Real r -> (float) r.value() == (float) ((JsonValue.Num) y).asDouble();
                        case MetaValue.Int n -> n.value() == ((JsonValue.Num) y).asLong().orElseThrow();
                        default -> false;
                    };
                    if (!ok) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    /** An array's elements as GGUF encodes them (what the manifest hashes). */
    private static byte[] encode(MetaValue.Array a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MetaValue v : a.values()) {
            ByteBuffer b;
            switch (v) {
                case MetaValue.Text t -> {
                    byte[] s = t.value().getBytes(StandardCharsets.UTF_8);
                    b = ByteBuffer.allocate(8 + s.length).order(ByteOrder.LITTLE_ENDIAN).putLong(s.length).put(s);
                }
                case MetaValue.Int i -> b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) i.value());
                case MetaValue.Real r -> b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat((float) r.value());
                default -> throw new IllegalArgumentException(v.toString());
            }
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
