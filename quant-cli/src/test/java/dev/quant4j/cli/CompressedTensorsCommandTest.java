package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.safetensors.ct.CtExport;
import dev.quant4j.safetensors.ct.CtScheme;
import dev.quant4j.tck.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code quant quantize --output-format compressed-tensors}. Truth: the library export of the same directory, whose
 * every Linear CtExportTest decodes independently and bounds against the source (so equal bytes here mean the
 * command's output decodes within the scheme's bound too), the reference config.json, and the GGUF the HF folder
 * holds exactly.
 */
class CompressedTensorsCommandTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(CompressedTensorsCommandTest.class.getClassLoader());

    @ParameterizedTest
    @ValueSource(strings = {"W8A8", "FP8_DYNAMIC", "W4A16", "w4a16_asym", "FP8-BLOCK"})
    void hfDirectoryAndGgufGiveTheLibrarysTensors(String scheme, @TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path gguf = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path out = tmp.resolve("ct");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", "compressed-tensors",
                hf.toString(), out.toString(), scheme);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("compressed-tensors"), r.out());
        Path lib = tmp.resolve("lib");
        CtExport.write(hf, lib, CtScheme.of(scheme).orElseThrow(), WriteOptions.SINGLE_FILE, REGISTRY.quantizers());
        assertEquals(-1, Files.mismatch(lib.resolve("model.safetensors"), out.resolve("model.safetensors")),
                "the library's (independently decoded) checkpoint");
        for (String f : List.of("tokenizer.model", "tokenizer_config.json", "generation_config.json", "special_tokens_map.json")) {
            assertEquals(-1, Files.mismatch(hf.resolve(f), out.resolve(f)), f + " copied");
        }
        JsonNode want = new ObjectMapper().readTree(hf.resolve("config.json").toFile());
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        want.fieldNames().forEachRemaining(k -> assertEquals(want.get(k), cfg.get(k), "config.json " + k));
        JsonNode q = cfg.get("quantization_config");
        assertEquals("compressed-tensors", q.get("quant_method").asText());
        assertEquals(CtScheme.of(scheme).orElseThrow().format(), q.get("format").asText());
        assertEquals("[\"lm_head\"]", q.get("ignore").toString());

        Path fromGguf = tmp.resolve("ct-gguf");
        r = QuantizeCommandTest.quant("quantize", "--output-format", "compressed-tensors", "--format-option",
                "scale-dtype=f32", gguf.toString(), fromGguf.toString(), scheme);
        assertEquals(0, r.code(), r.err());
        try (ModelReader a = REGISTRY.format("safetensors").open(out.resolve("model.safetensors"));
             ModelReader b = REGISTRY.format("safetensors").open(fromGguf.resolve("model.safetensors"))) {
            assertEquals(a.tensors().stream().map(TensorInfo::name).toList(), b.tensors().stream().map(TensorInfo::name).toList());
            int same = 0;
            for (int i = 0; i < a.tensors().size(); i++) {
                TensorInfo x = a.tensors().get(i);
                TensorInfo y = b.tensors().get(i);
                if (x.name().startsWith("model.layers.") && !x.name().contains("layernorm")) {
                    assertEquals(-1, a.view(x).data().mismatch(b.view(y).data()), x.name() + ": GGUF source gives the same bytes");
                    same++;
                }
            }
            assertEquals(6 * 7 * (scheme.toUpperCase().startsWith("W4A16") ? scheme.toUpperCase().endsWith("ASYM") ? 4 : 3 : 2),
                    same, "every compressed tensor of the 6 layers compared");
        }
        JsonNode fromGgufCfg = new ObjectMapper().readTree(fromGguf.resolve("config.json").toFile());
        want.fieldNames().forEachRemaining(k -> {
            if (!k.equals("torch_dtype")) {
                assertEquals(want.get(k), fromGgufCfg.get(k), "config.json from GGUF metadata: " + k);
            }
        });
    }

    @Test
    void unknownSchemeListsTheSchemesAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", "compressed-tensors",
                hf.toString(), tmp.resolve("o").toString(), "Q4_K_M");
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("'Q4_K_M'") && r.err().contains("W8A8, FP8_DYNAMIC, W4A16, W4A16_ASYM, FP8_BLOCK"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void nonEmptyOutputDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Files.writeString(tmp.resolve("x.txt"), "x");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", "compressed-tensors",
                hf.toString(), tmp.toString(), "W8A8");
        assertTrue(r.code() != 0 && r.err().contains("not empty"), r.err());
    }

    @Test
    void unknownOutputFormatListsTheFormats(@TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", "onnx",
                hf.toString(), tmp.resolve("o").toString(), "W8A8");
        assertTrue(r.code() != 0 && r.err().contains("compressed-tensors"), r.err());
    }

    @Test
    void ggufOnlyOptionsAreRefusedNotIgnored(@TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        QuantizeCommandTest.Run r = QuantizeCommandTest.quant("quantize", "--output-format", "compressed-tensors",
                "--imatrix", hf.resolve("config.json").toString(), "--dry-run", hf.toString(), tmp.resolve("o").toString(), "W8A8");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--imatrix, --dry-run: only for GGUF output, not for --output-format compressed-tensors"),
                r.err());
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written");
    }
}
