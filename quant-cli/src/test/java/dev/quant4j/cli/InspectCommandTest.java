package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code quant inspect} on the real stories260K.gguf: the JSON is parsed back and compared, value by value and
 * bit by bit, with what the format reader (found through the registry, as the CLI finds it) says.
 */
class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final QuantRegistry REGISTRY = QuantRegistry.load(InspectCommandTest.class.getClassLoader());

    @TempDir
    Path tmp;

    /** Exit code, stdout and stderr of one run. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new InspectCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path stories() {
        return SharedData.require("models/stories260K.gguf");
    }

    @Test
    void jsonHoldsTheWholeHeaderExactly() throws Exception {
        Path file = stories();
        Run r = run(file.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        JsonNode root = JSON.readTree(r.out());
        assertEquals(List.of("version", "alignment", "data_offset", "metadata", "tensors"), fieldNames(root));
        try (ModelReader model = REGISTRY.format("gguf").open(file)) {
            assertEquals(3, root.get("version").asInt());
            assertEquals(32, root.get("alignment").asLong());
            assertEquals(model.container().dataOffset(), root.get("data_offset").asLong());
            assertEquals(14176, root.get("data_offset").asLong());
            List<Metadata.Entry> entries = model.metadata().entries();
            assertEquals(entries.size(), root.get("metadata").size());
            for (int i = 0; i < entries.size(); i++) {
                JsonNode kv = root.get("metadata").get(i);
                Metadata.Entry e = entries.get(i);
                assertEquals(e.key(), kv.get("key").asText());
                assertEquals(e.value().type().label(), kv.get("type").asText(), e.key());
                assertValue(e.value(), kv.get("value"), e.key());
                if (e.value() instanceof MetaValue.Array a) {
                    assertEquals(a.elementType().label(), kv.get("element_type").asText());
                } else {
                    assertFalse(kv.has("element_type"));
                }
            }
            List<TensorInfo> tensors = model.tensors();
            assertEquals(tensors.size(), root.get("tensors").size());
            byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i < tensors.size(); i++) {
                JsonNode t = root.get("tensors").get(i);
                TensorInfo info = tensors.get(i);
                assertEquals(List.of("name", "type", "shape", "offset", "bytes"), fieldNames(t));
                assertEquals(info.name(), t.get("name").asText());
                assertEquals(info.type().lowerName(), t.get("type").asText());
                List<Long> shape = new ArrayList<>();
                t.get("shape").forEach(d -> shape.add(d.asLong()));
                assertEquals(info.shape().dims(), shape);
                assertEquals(info.byteSize(), t.get("bytes").asLong());
                // the offset is absolute: the file's bytes there are the tensor's
                int at = Math.toIntExact(t.get("offset").asLong());
                byte[] data = model.view(info).data().toArray(ValueLayout.JAVA_BYTE);
                assertTrue(Arrays.equals(data, Arrays.copyOfRange(bytes, at, at + data.length)), info.name());
            }
        }
        // a few values known independently (shared/README.md: dim 64, ffn 172, 5 layers, 8 heads, 4 kv heads)
        assertEquals("llama", value(root, "general.architecture").asText());
        assertEquals(64, value(root, "llama.embedding_length").asInt());
        assertEquals(172, value(root, "llama.feed_forward_length").asInt());
        assertEquals(5, value(root, "llama.block_count").asInt());
        assertEquals(8, value(root, "llama.attention.head_count").asInt());
        assertEquals(4, value(root, "llama.attention.head_count_kv").asInt());
        assertEquals(512, value(root, "tokenizer.ggml.tokens").size());
        assertEquals("<unk>", value(root, "tokenizer.ggml.tokens").get(0).asText());
        assertEquals(4294967295L, value(root, "tokenizer.ggml.padding_token_id").asLong());
        // float32 written as the float's shortest form, not the widened double's 9.999999747378752E-6
        assertTrue(r.out().contains("\"value\":1.0E-5}"), "float32 as Float.toString");
        assertEquals("token_embd.weight", root.get("tensors").get(0).get("name").asText());
        assertEquals(14176, root.get("tensors").get(0).get("offset").asLong());
    }

    @Test
    void textShowsHeaderMetadataAndTensorTable() {
        Run r = run(stories().toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\\R");
        assertEquals("GGUF 3: 48 tensors, 19 metadata keys, alignment 32, data offset 14176", lines[0]);
        assertEquals("file 1 of 1: " + stories(), lines[1]);
        assertTrue(r.out().contains("  general.architecture                    string   \"llama\"\n"), r.out());
        assertTrue(r.out().matches("(?s).*tokenizer\\.ggml\\.tokens +array +\\[string × 512] \"<unk>\", \"<s>\","
                + " \"</s>\", \"<0x00>\", \"<0x01>\", \"<0x02>\", …\n.*"), r.out());
        assertTrue(r.out().contains("llama.attention.layer_norm_rms_epsilon  float32  1.0E-5\n"));
        assertTrue(r.out().matches("(?s).*\n +0 +token_embd\\.weight +f32 +64 × 512 +131072 +14176 +32\\.00\n.*"),
                r.out());
        assertEquals("total: 48 tensors, 292800 weights, 1171200 bytes (1.12 MiB), 32.00 bits per weight",
                lines[lines.length - 1]);
    }

    @Test
    void splitModelsShowEveryFileAndTheOffsetsInsideThem() throws Exception {
        FormatProvider gguf = REGISTRY.format("gguf");
        List<Path> shards;
        try (ModelReader in = gguf.open(stories());
             ModelWriter w = gguf.create(tmp.resolve("s.gguf"), in.layout(), new WriteOptions(0, 20))) {
            for (int i = 0; i < in.tensors().size(); i++) {
                w.tensorData(i).copyFrom(in.view(in.tensors().get(i)).data());
            }
            w.commit();
            shards = w.files();
        }
        Run r = run(shards.getFirst().toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = JSON.readTree(r.out());
        assertEquals(3, root.get("files").size());
        try (ModelReader model = gguf.open(shards.getFirst())) {
            assertEquals(48, root.get("tensors").size());
            for (int i = 0; i < 48; i++) {
                JsonNode t = root.get("tensors").get(i);
                int file = t.get("file").asInt();
                assertEquals(i / 20, file, t.toString());
                byte[] bytes = Files.readAllBytes(Path.of(root.get("files").get(file).asText()));
                int at = Math.toIntExact(t.get("offset").asLong());
                byte[] data = model.view(model.tensors().get(i)).data().toArray(ValueLayout.JAVA_BYTE);
                assertTrue(Arrays.equals(data, Arrays.copyOfRange(bytes, at, at + data.length)), t.toString());
            }
        }
        Run text = run(shards.getFirst().toString());
        assertTrue(text.out().contains("file 3 of 3: " + shards.get(2)), text.out());
    }

    @Test
    void badInputIsOneLineOnStderrWithTheExitCodesOfQuantize() throws Exception {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "hello");
        Path truncated = tmp.resolve("cut.gguf");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(stories()), 5000));
        Path v2 = tmp.resolve("v2.gguf");
        Files.write(v2, new byte[] {'G', 'G', 'U', 'F', 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        for (var c : List.of(
                new String[] {tmp.resolve("absent.gguf").toString(), "no such file", "4"},
                new String[] {text.toString(), "not a model file any installed format reads (formats: ", "3"},
                new String[] {tmp.toString(), "is a directory", "4"},
                new String[] {truncated.toString(), "corrupt at byte 4996", "3"},
                new String[] {v2.toString(), "GGUF version 2 is not supported", "3"})) {
            Run r = run(c[0], "--json");
            assertEquals(Integer.parseInt(c[2]), r.code(), r.err());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("quant inspect: " + c[0]) && r.err().contains(c[1]), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    /** JSON value against the reader's typed value: exact integers, float bits, strings, nested arrays. */
    private static void assertValue(MetaValue v, JsonNode n, String key) {
        switch (v) {
            case MetaValue.Int(MetaType t, long x) -> {
                assertTrue(n.isIntegralNumber(), key);
                BigInteger want = t == MetaType.UINT64 ? new BigInteger(Long.toUnsignedString(x)) : BigInteger.valueOf(x);
                assertEquals(want, n.bigIntegerValue(), key);
            }
            case MetaValue.Real(MetaType t, double x) -> {
                if (t == MetaType.FLOAT32) {
                    assertEquals(Float.floatToRawIntBits((float) x), Float.floatToRawIntBits(Float.parseFloat(n.asText())), key);
                } else {
                    assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(Double.parseDouble(n.asText())), key);
                }
            }
            case MetaValue.Bool(boolean b) -> assertEquals(b, n.booleanValue(), key);
            case MetaValue.Text(String s) -> assertEquals(s, n.textValue(), key);
            case MetaValue.Array(MetaType e, List<MetaValue> values) -> {
                assertEquals(values.size(), n.size(), key);
                for (int i = 0; i < values.size(); i++) {
                    assertValue(values.get(i), n.get(i), key + "[" + i + "]");
                }
            }
        }
    }

    private static JsonNode value(JsonNode root, String key) {
        for (JsonNode kv : root.get("metadata")) {
            if (kv.get("key").asText().equals(key)) {
                return kv.get("value");
            }
        }
        throw new AssertionError("no key " + key);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
