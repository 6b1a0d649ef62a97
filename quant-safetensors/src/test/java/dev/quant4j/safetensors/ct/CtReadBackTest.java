package dev.quant4j.safetensors.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.safetensors.io.SharedData;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A compressed-tensors checkpoint opened again through the registry (the safetensors format's Hugging Face view,
 * which decodes codes × scales to F32): every Linear equals the writer's quantizer round trip of the source weight
 * (quantize, then the quantizer's own dequantize) exactly, every other tensor equals the source, names and shapes
 * are the source's. The reader decodes from the published layout (hf.CtDecoded), the quantizer from its own code:
 * two implementations that must agree bit for bit.
 */
class CtReadBackTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(CtReadBackTest.class.getClassLoader());

    @ParameterizedTest
    @EnumSource(CtScheme.class)
    void decodedWeightsAreTheQuantizersRoundTrip(CtScheme scheme, @TempDir Path tmp) throws Exception {
        Path src = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path out = tmp.resolve("ct");
        CtExport.write(src, out, scheme, WriteOptions.SINGLE_FILE, REGISTRY.quantizers());
        Quantizer q = scheme.quantizer(DType.F32).create(REGISTRY.quantizers());
        int linears = 0;
        try (ModelReader a = REGISTRY.formatFor(src).orElseThrow().open(src);
             ModelReader b = REGISTRY.formatFor(out).orElseThrow().open(out)) {
            Map<String, TensorInfo> got = b.tensors().stream().collect(Collectors.toMap(TensorInfo::name, t -> t));
            assertEquals(a.tensors().size(), b.tensors().size(), "scales, zero points and shapes are consumed");
            for (TensorInfo t : a.tensors()) {
                TensorInfo o = got.get(t.name());
                assertEquals(t.shape(), o.shape(), t.name());
                TensorView sv = a.view(t);
                float[] want = new float[Math.toIntExact(t.shape().elementCount())];
                sv.readRows(0, Math.toIntExact(sv.rows()), want, 0);
                boolean linear = t.name().matches("blk\\.\\d+\\.(attn_[qkv]|attn_output|ffn_(gate|up|down))\\.weight");
                if (linear) {
                    linears++;
                    assertEquals(DType.F32, o.type(), t.name());
                    if (scheme != CtScheme.FP8_BLOCK) { // row-local scales: the Q/K row permutation commutes
                        var enc = q.quantize(sv, null, java.lang.foreign.Arena.ofAuto());
                        q.dequantize(enc.data(), t.shape(), 0, sv.rows(), want);
                    }
                }
                TensorView ov = b.view(o);
                float[] back = new float[want.length];
                ov.readRows(0, Math.toIntExact(ov.rows()), back, 0);
                if (linear && scheme == CtScheme.FP8_BLOCK) {
                    float amax = 0;
                    for (float v : want) {
                        amax = Math.max(amax, Math.abs(v));
                    }
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], back[i], Math.abs(want[i]) * 0x1p-4f + amax / 448 * 0x1p-9f, t.name() + " " + i);
                    }
                } else {
                    assertArrayEquals(want, back, t.name());
                }
            }
        }
        assertEquals(42, linears, "6 layers × 7 Linears decoded");
    }

    @Test
    void scalesThatDoNotMatchTheConfigsStrategyAreRefusedNamingTheTensor(@TempDir Path tmp) throws Exception {
        Path src = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path out = tmp.resolve("ct");
        CtExport.write(src, out, CtScheme.W4A16, WriteOptions.SINGLE_FILE, REGISTRY.quantizers());
        Path cfg = out.resolve("config.json");
        String text = java.nio.file.Files.readString(cfg);
        java.nio.file.Files.writeString(cfg, text.replace("\"strategy\": \"group\"", "\"strategy\": \"channel\""));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.quant4j.api.error.CorruptFormatException.class,
                () -> REGISTRY.formatFor(out).orElseThrow().open(out).close());
        assertTrue(e.getMessage().contains("weight_scale") && e.getMessage().contains("expected HF ["), e.getMessage());
    }
}
