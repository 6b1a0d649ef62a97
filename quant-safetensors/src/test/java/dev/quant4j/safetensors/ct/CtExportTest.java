package dev.quant4j.safetensors.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Fp8;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.safetensors.io.SafetensorsReader;
import dev.quant4j.safetensors.io.SharedData;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonParser;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * compressed-tensors output of the reference checkpoints, decoded per the published layout (written here from the
 * spec, not from CtCompressor) and checked against the source weights within each scheme's rounding bound; the
 * config's quantization_config checked field by field against compressed-tensors 0.18.0's presets.
 */
class CtExportTest {
    static final dev.quant4j.api.spi.QuantizerLookup INSTALLED =
            dev.quant4j.api.registry.QuantRegistry.load(CtExportTest.class.getClassLoader()).quantizers();

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest
    @CsvSource({"W8A8,tiny-shakespeare-256-f32", "FP8_DYNAMIC,tiny-shakespeare-256-f32", "W4A16,tiny-shakespeare-256-f32",
            "W4A16_ASYM,tiny-shakespeare-256-f32", "FP8_BLOCK,tiny-shakespeare-256-f32",
            "W4A16_ASYM,tiny-shakespeare-256-bf16-sharded", "FP8_BLOCK,tiny-random-bpe-f16"})
    void everyTensorDecodesWithinTheSchemesBound(String schemeName, String folder, @TempDir Path tmp) throws Exception {
        CtScheme scheme = CtScheme.of(schemeName).orElseThrow();
        Path src = SharedData.require("reference/hf/" + folder);
        Path out = tmp.resolve("out");
        CtExport.write(src, out, scheme, new WriteOptions(3_000_000, 0), INSTALLED);
        assertDecodesWithinBound(src, out, scheme);
        assertTrue(Files.exists(out.resolve("tokenizer_config.json")) && Files.exists(out.resolve("generation_config.json")));
        assertTrue(Files.notExists(out.resolve("convert-f16.log")), "llama.cpp logs are not model files");
    }

    /**
     * Every Linear of the Hugging Face checkpoint {@code src} decoded from {@code out} (compressed-tensors) per the
     * published layout lies within the scheme's bound of the source weight; every other tensor is copied byte for
     * byte; the config's quantization_config is the scheme's.
     */
    static void assertDecodesWithinBound(Path src, Path out, CtScheme scheme) throws Exception {
        assertTensorsDecodeWithinBound(src, out, scheme);
        assertConfig(out, scheme);
    }

    /** Every tensor of {@code src} (HF names and layout) in {@code out}: copied exactly, or a Linear within bound. */
    static void assertTensorsDecodeWithinBound(Path src, Path out, CtScheme scheme) throws Exception {
        int linears = 0;
        try (SafetensorsReader in = SafetensorsReader.open(src); SafetensorsReader ct = SafetensorsReader.open(out)) {
            for (TensorInfo t : in.tensors()) {
                if (!CtExport.isLinear(t)) {
                    TensorInfo copy = ct.tensor(t.name()).orElseThrow(() -> new AssertionError(t.name() + " not copied"));
                    assertEquals(-1, ct.view(copy).data().mismatch(in.view(t).data()), t.name() + " copied bytes");
                    continue;
                }
                linears++;
                String p = t.name().substring(0, t.name().length() - ".weight".length());
                int cols = (int) t.shape().ne(0);
                int rows = (int) t.shape().ne(1);
                float[] w = new float[rows * cols];
                in.view(t).readRows(0, rows, w, 0);
                DType scaleType = t.type() == DType.F32 ? DType.F32 : t.type();
                TensorView scale = ct.view(ct.tensor(p + ".weight_scale").orElseThrow());
                assertEquals(scaleType, scale.type(), p + " scale dtype");
                float[] s = new float[(int) scale.shape().elementCount()];
                scale.readRows(0, (int) scale.rows(), s, 0);
                int sCols = (int) scale.shape().ne(0);
                switch (scheme) {
                    case W8A8, FP8_DYNAMIC -> assertEquals(List.of(1L, (long) rows), scale.shape().dims(), p + " [out, 1] scales");
                    case W4A16, W4A16_ASYM -> assertEquals(List.of(cols / 128L, (long) rows), scale.shape().dims(), p + " [out, in/128]");
                    case FP8_BLOCK -> assertEquals(List.of((cols + 127L) / 128, (rows + 127L) / 128), scale.shape().dims(), p + " blocks");
                }
                float[] deq = decode(ct, p, scheme, rows, cols, s, sCols);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        float sc = switch (scheme) {
                            case W8A8, FP8_DYNAMIC -> s[r];
                            case W4A16, W4A16_ASYM -> s[r * sCols + c / 128];
                            case FP8_BLOCK -> s[(r / 128) * sCols + c / 128];
                        };
                        float x = w[r * cols + c];
                        double bound = switch (scheme) {
                            case W8A8, W4A16 -> sc / 2.0;
                            case W4A16_ASYM -> sc; // the rounded zero point shifts the grid by up to half a step
                            case FP8_DYNAMIC, FP8_BLOCK -> Math.max(Math.abs(x) * 0x1p-4, sc * 0x1p-10);
                        };
                        double err = Math.abs(x - deq[r * cols + c]);
                        // float32 scale: x/s may exceed the half-step by a few ulps of x
                        if (err > bound + Math.abs(x) * 0x1p-20) {
                            throw new AssertionError(p + "[" + r + "," + c + "]: " + x + " decoded as "
                                    + deq[r * cols + c] + ", error " + err + " > " + bound);
                        }
                    }
                }
            }
        }
        assertTrue(linears > 0);
    }

    /** Decodes the compressed module per compressed-tensors' layout. */
    private static float[] decode(SafetensorsReader ct, String p, CtScheme scheme, int rows, int cols, float[] s, int sCols) throws Exception {
        float[] out = new float[rows * cols];
        if (scheme == CtScheme.W4A16 || scheme == CtScheme.W4A16_ASYM) {
            TensorView packed = ct.view(ct.tensor(p + ".weight_packed").orElseThrow());
            assertEquals(DType.I32, packed.type());
            assertEquals(List.of(cols / 8L, (long) rows), packed.shape().dims(), p + " weight_packed [out, in/8]");
            TensorView shape = ct.view(ct.tensor(p + ".weight_shape").orElseThrow());
            assertEquals(DType.I64, shape.type());
            assertEquals(rows, shape.data().get(I64, 0));
            assertEquals(cols, shape.data().get(I64, 8));
            MemorySegment zp = null;
            if (scheme == CtScheme.W4A16_ASYM) {
                TensorView z = ct.view(ct.tensor(p + ".weight_zero_point").orElseThrow());
                assertEquals(List.of((long) sCols, (rows + 7L) / 8), z.shape().dims(), p + " zero points [out/8, groups]");
                zp = z.data();
            } else {
                assertTrue(ct.tensor(p + ".weight_zero_point").isEmpty(), "symmetric: no zero point");
            }
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    // element j of a row at bits 4·(j%8) of word j/8, LSB first, stored as value + 8
                    int word = packed.data().get(I32, ((long) r * (cols / 8) + c / 8) * 4);
                    int q = ((word >>> (4 * (c % 8))) & 0xF) - 8;
                    int g = c / 128;
                    int z = 0;
                    if (zp != null) {
                        int zw = zp.get(I32, ((long) (r / 8) * sCols + g) * 4);
                        z = ((zw >>> (4 * (r % 8))) & 0xF) - 8;
                    }
                    out[r * cols + c] = (q - z) * s[r * sCols + g];
                }
            }
            return out;
        }
        TensorView w = ct.view(ct.tensor(p + ".weight").orElseThrow());
        boolean fp8 = scheme != CtScheme.W8A8;
        assertEquals(fp8 ? DType.F8_E4M3 : DType.I8, w.type(), p + " weight dtype");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                byte b = w.data().get(ValueLayout.JAVA_BYTE, (long) r * cols + c);
                float q = fp8 ? Fp8.decode(DType.F8_E4M3, b) : b;
                float sc = scheme == CtScheme.FP8_BLOCK ? s[(r / 128) * sCols + c / 128] : s[r];
                out[r * cols + c] = q * sc;
            }
        }
        return out;
    }

    private static void assertConfig(Path out, CtScheme scheme) throws Exception {
        JsonValue.Obj cfg = (JsonValue.Obj) JsonParser.parse(Files.readString(out.resolve("config.json")));
        assertEquals("llama", cfg.string("model_type").orElseThrow(), "original keys kept");
        JsonValue.Obj q = cfg.object("quantization_config").orElseThrow();
        assertEquals("compressed-tensors", q.string("quant_method").orElseThrow());
        assertEquals("compressed", q.string("quantization_status").orElseThrow());
        assertEquals(CtConfig.VERSION, q.string("version").orElseThrow());
        String format = switch (scheme) {
            case W8A8 -> "int-quantized";
            case FP8_DYNAMIC, FP8_BLOCK -> "float-quantized";
            case W4A16, W4A16_ASYM -> "pack-quantized";
        };
        assertEquals(format, q.string("format").orElseThrow());
        assertEquals(List.of(new JsonValue.Str("lm_head")), q.array("ignore").orElseThrow().values());
        JsonValue.Obj g = q.object("config_groups").orElseThrow().object("group_0").orElseThrow();
        assertEquals(format, g.string("format").orElseThrow());
        assertEquals(List.of(new JsonValue.Str("Linear")), g.array("targets").orElseThrow().values());
        JsonValue.Obj w = g.object("weights").orElseThrow();
        Map<CtScheme, String> want = Map.of(
                CtScheme.W8A8, "8 int true null channel false",
                CtScheme.FP8_DYNAMIC, "8 float true null channel false",
                CtScheme.W4A16, "4 int true 128 group false",
                CtScheme.W4A16_ASYM, "4 int false 128 group false",
                CtScheme.FP8_BLOCK, "8 float true null block false");
        String got = w.integer("num_bits").orElseThrow() + " " + w.string("type").orElseThrow() + " "
                + w.bool("symmetric").orElseThrow() + " " + w.integer("group_size").map(String::valueOf).orElse("null") + " "
                + w.string("strategy").orElseThrow() + " " + w.bool("dynamic").orElseThrow();
        assertEquals(want.get(scheme), got, "weights args");
        assertEquals(scheme == CtScheme.W4A16_ASYM ? "torch.int8" : null, w.string("zp_dtype").orElse(null));
        if (scheme == CtScheme.FP8_BLOCK) {
            assertEquals("[128, 128]", w.array("block_structure").orElseThrow().values().stream()
                    .map(v -> ((JsonValue.Num) v).text()).toList().toString());
        }
        JsonValue act = g.get("input_activations").orElseThrow();
        switch (scheme) {
            case W4A16, W4A16_ASYM -> assertTrue(act instanceof JsonValue.Null, "weight-only: no input_activations");
            default -> {
                JsonValue.Obj a = (JsonValue.Obj) act;
                assertEquals(true, a.bool("dynamic").orElseThrow());
                assertEquals(scheme == CtScheme.W8A8 ? "int" : "float", a.string("type").orElseThrow());
                assertEquals(scheme == CtScheme.FP8_BLOCK ? "group" : "token", a.string("strategy").orElseThrow());
                assertTrue(a.get("observer").orElseThrow() instanceof JsonValue.Null);
            }
        }
    }

    @Test
    void packingPutsElementJAtBits4TimesJMod8OfWordJDiv8() {
        byte[] codes = new byte[16];
        for (int j = 0; j < 16; j++) {
            codes[j] = (byte) (j - 8); // stored as j
        }
        MemorySegment p = CtCompressor.pack(MemorySegment.ofArray(codes), 1, 16, 4);
        assertEquals(0x76543210, p.get(I32, 0));
        assertEquals(0xFEDCBA98, p.get(I32, 4));
    }
}
