package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.engine.DemoModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quant quantize IN OUT bitnet-absmean}: TYPE naming a planner, --planner-option, and what is refused. */
class BitnetQuantizeCommandTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(BitnetQuantizeCommandTest.class.getClassLoader());
    private static Path model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = new DemoModel(2, 256, 512, 4, 2, 512, 7).write(REGISTRY, dir.resolve("small-f16.gguf"));
    }

    /** Exit code, stdout and stderr of one run. */
    private record Run(int code, String out, String err) {
    }

    private static Run quant(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** name -> type, and general.file_type, of a written model. */
    private static Map<String, DType> types(Path file) throws IOException {
        try (ModelReader r = REGISTRY.format("gguf").open(file)) {
            Map<String, DType> m = new TreeMap<>();
            for (TensorInfo t : r.tensors()) {
                m.put(t.name(), t.type());
            }
            return m;
        }
    }

    private static long fileType(Path file) throws IOException {
        try (ModelReader r = REGISTRY.format("gguf").open(file)) {
            return r.metadata().getLong("general.file_type").orElseThrow();
        }
    }

    @Test
    void typeNamingThePlannerQuantizesTheModelToTernary() throws IOException {
        Path out = tmp.resolve("bitnet.gguf");
        Path report = tmp.resolve("report.json");
        Run r = quant("quantize", "--quiet", "--report", report.toString(), model.toString(), out.toString(),
                "bitnet-absmean");
        assertEquals(0, r.code(), r.err());
        Map<String, DType> types = types(out);
        assertEquals(DType.TQ2_0, types.get("blk.0.attn_q.weight"));
        assertEquals(DType.TQ2_0, types.get("blk.1.ffn_down.weight"));
        assertEquals(DType.F16, types.get("token_embd.weight"));
        assertEquals(DType.F16, types.get("output.weight"));
        assertEquals(DType.F32, types.get("blk.1.ffn_norm.weight"));
        assertEquals(37, fileType(out), "MOSTLY_TQ2_0");
        assertEquals("bitnet-absmean {}", new ObjectMapper().readTree(report.toFile()).get("planner").asText());
    }

    @Test
    void plannerOptionsReachThePlanner() throws IOException {
        Path out = tmp.resolve("tq1.gguf");
        Run r = quant("quantize", "--quiet", "--planner-option", "layout=tq1_0", "--planner-option", "tensors=attn_q",
                "--planner-option", "tensors=ffn_down", "--planner-option", "kept-precision=bf16",
                model.toString(), out.toString(), "BITNET-ABSMEAN");
        assertEquals(0, r.code(), r.err());
        Map<String, DType> types = types(out);
        assertEquals(DType.TQ1_0, types.get("blk.0.attn_q.weight"));
        assertEquals(DType.TQ1_0, types.get("blk.1.ffn_down.weight"), "a repeated key adds a list item");
        assertEquals(DType.F16, types.get("blk.0.attn_k.weight"), "not selected: unchanged");
        assertEquals(DType.BF16, types.get("token_embd.weight"));
        assertEquals(36, fileType(out), "MOSTLY_TQ1_0");
    }

    @Test
    void explicitPlannerFlagStillSelectsLlamaCpp() throws IOException {
        Path out = tmp.resolve("q8.gguf");
        Run r = quant("quantize", "--quiet", "--planner", "llama-cpp", model.toString(), out.toString(), "Q8_0");
        assertEquals(0, r.code(), r.err());
        assertEquals(7, fileType(out), "MOSTLY_Q8_0");
        assertEquals(DType.Q8_0, types(out).get("blk.0.attn_q.weight"));
    }

    @Test
    void llamaQuantizeFlagsAndMalformedOptionsAreRefused() {
        Path out = tmp.resolve("refused.gguf");
        Run pure = quant("quantize", "--quiet", "--pure", model.toString(), out.toString(), "bitnet-absmean");
        assertEquals(2, pure.code(), pure.err());
        assertTrue(pure.err().contains("--pure: llama-cpp planner option(s), but TYPE selects planner "
                + "'bitnet-absmean'"), pure.err());

        Run malformed = quant("quantize", "--quiet", "--planner-option", "tensors", model.toString(), out.toString(),
                "bitnet-absmean");
        assertEquals(2, malformed.code(), malformed.err());
        assertTrue(malformed.err().contains("--planner-option 'tensors' is not KEY=VALUE"), malformed.err());

        Run unknown = quant("quantize", "--quiet", "--planner-option", "kept-precision=q4_0", model.toString(),
                out.toString(), "bitnet-absmean");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("kept-precision"), unknown.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void helpDocumentsThePlannerOption() {
        Run r = quant("quantize", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--planner-option=KEY=VALUE"), r.out());
        assertTrue(r.out().contains("bitnet-absmean"), r.out());
    }
}
