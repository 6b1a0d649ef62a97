package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.SharedData;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hugging Face → GGUF in one step. Truth: the SHA-256 of every tensor convert_hf_to_gguf.py wrote
 * (../shared/reference/hf/D/convert-T.gguf.manifest.json), and for quantized types llama-quantize's own files
 * made from the GGUF that the F32 folder holds exactly (../shared/reference/trained/tiny-shakespeare-256-T.gguf).
 */
class HfConvertCommandTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(HfConvertCommandTest.class.getClassLoader());

    @ParameterizedTest
    @CsvSource({"tiny-shakespeare-256-f32,f16", "tiny-shakespeare-256-f32,f32", "tiny-shakespeare-256-bf16-sharded,f16",
            "tiny-shakespeare-256-bf16-sharded,bf16", "tiny-random-bpe-f16,f16"})
    void convertGivesConvertHfToGgufTensors(String folder, String outtype, @TempDir Path tmp) throws Exception {
        Path dir = SharedData.require("reference/hf/" + folder);
        Path out = tmp.resolve("out.gguf");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("convert", "-q", dir.toString(), out.toString(),
                "--outtype", outtype);
        assertEquals(0, r.code(), r.err());
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("convert-" + outtype + ".gguf.manifest.json").toFile());
        Map<String, String> want = new LinkedHashMap<>();
        manifest.get("tensors").forEach(t -> want.put(t.get("name").asText(), t.get("type").asText() + " " + t.get("sha256").asText()));
        assertEquals(want, tensorHashes(out), "tensor types and SHA-256 vs convert_hf_to_gguf --outtype " + outtype);
        try (ModelReader m = REGISTRY.format("gguf").open(out)) {
            for (JsonNode kv : manifest.get("kv")) {
                String key = kv.get("key").asText();
                if (kv.has("value") && !kv.get("value").isArray()) {
                    assertTrue(m.metadata().get(key).isPresent(), key + " missing");
                }
            }
            long fileType = -1;
            for (JsonNode kv : manifest.get("kv")) {
                if (kv.get("key").asText().equals("general.file_type")) {
                    fileType = kv.get("value").asLong();
                }
            }
            assertEquals(fileType, m.metadata().getLong("general.file_type").orElseThrow(), "general.file_type");
        }
    }

    /** quantize HF_DIR Q8_0 / Q4_K_M gives llama-quantize's bytes (tensor by tensor) for the model the folder holds. */
    @ParameterizedTest
    @CsvSource({"Q8_0", "Q4_K_M"})
    void quantizeHfDirectoryMatchesLlamaQuantize(String type, @TempDir Path tmp) throws Exception {
        Path dir = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path reference = SharedData.require("reference/trained/tiny-shakespeare-256-" + type + ".gguf");
        Path out = tmp.resolve("out.gguf");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "-q", dir.toString(), out.toString(), type);
        assertEquals(0, r.code(), r.err());
        assertEquals(tensorHashes(reference), sortedByName(tensorHashes(out)), "tensor bytes vs llama-quantize " + type);
    }

    @Test
    void badOuttypeIsAUsageError(@TempDir Path tmp) {
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("convert", tmp.toString(), tmp.resolve("o.gguf").toString(),
                "--outtype", "q4_0");
        assertTrue(r.code() != 0 && r.err().contains("expected one of f32, f16, bf16"), r.err());
    }

    private static Map<String, String> sortedByName(Map<String, String> m) {
        return new java.util.TreeMap<>(m);
    }

    static Map<String, String> tensorHashes(Path gguf) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (ModelReader m = REGISTRY.format("gguf").open(gguf)) {
            for (TensorInfo t : m.tensors()) {
                byte[] b = m.view(t).data().toArray(ValueLayout.JAVA_BYTE);
                out.put(t.name(), t.type().ggmlName().toUpperCase() + " "
                        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
            }
        }
        return gguf.toString().contains("tiny-shakespeare-256-Q") ? new java.util.TreeMap<>(out) : out;
    }
}
