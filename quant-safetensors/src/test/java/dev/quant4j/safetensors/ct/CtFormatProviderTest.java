package dev.quant4j.safetensors.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.safetensors.io.SafetensorsReader;
import dev.quant4j.safetensors.io.SharedData;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compressed-tensors format provider fed as the engine feeds it: the model as a format reads it (the HF
 * directory through the safetensors format's GGUF view: GGUF names, Q/K permuted; or a GGUF file), tensor by tensor.
 * Truth: the independent decoder of {@link CtExportTest} against the raw HF weights, the reference config.json.
 */
class CtFormatProviderTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(CtFormatProviderTest.class.getClassLoader());
    private static final dev.quant4j.api.spi.QuantizerLookup INSTALLED = REGISTRY.quantizers();

    /** What the engine's FormatExport does: every tensor, unchanged, into the writer. */
    static void export(Path input, Path out, Map<String, String> options) throws Exception {
        FormatProvider in = REGISTRY.formatFor(input).orElseThrow();
        try (ModelReader r = in.open(input)) {
            List<ModelLayout.TensorSlot> slots = r.tensors().stream()
                    .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList();
            try (ModelWriter w = REGISTRY.format("compressed-tensors").create(out, new ModelLayout(r.metadata(), slots),
                    new WriteOptions(0, 0).withFormatOptions(options), INSTALLED)) {
                int i = 0;
                for (TensorInfo t : r.tensors()) {
                    w.write(i++, 0, r.view(t).data());
                }
                w.commit();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CtScheme.class)
    void hfDirectoryThroughTheGgufViewDecodesWithinBound(CtScheme scheme, @TempDir Path tmp) throws Exception {
        Path src = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path out = tmp.resolve("out");
        export(src, out, Map.of("scheme", scheme.name(), "source", src.toString()));
        CtExportTest.assertDecodesWithinBound(src, out, scheme); // Q/K back in HF order, names back to HF
        Path lib = tmp.resolve("lib");
        CtExport.write(src, lib, scheme, WriteOptions.SINGLE_FILE, INSTALLED);
        assertEquals(-1, Files.mismatch(lib.resolve("model.safetensors"), out.resolve("model.safetensors")),
                "same file as the library export of the directory");
        assertEquals(Files.readString(lib.resolve("config.json")), Files.readString(out.resolve("config.json")));
        assertTrue(Files.exists(out.resolve("tokenizer.model")) && Files.exists(out.resolve("tokenizer_config.json")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("lib", "out"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no temp dirs left");
        }
    }

    @ParameterizedTest
    @EnumSource(CtScheme.class)
    void ggufSourceGivesTheHfSourcesTensors(CtScheme scheme, @TempDir Path tmp) throws Exception {
        Path hf = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path gguf = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path fromHf = tmp.resolve("hf");
        Path fromGguf = tmp.resolve("gguf");
        CtExport.write(hf, fromHf, scheme, WriteOptions.SINGLE_FILE, INSTALLED);
        export(gguf, fromGguf, Map.of("scheme", scheme.name(), "source", gguf.toString(), "scale-dtype", "f32"));
        try (SafetensorsReader a = SafetensorsReader.open(fromHf); SafetensorsReader b = SafetensorsReader.open(fromGguf)) {
            assertEquals(a.tensors().stream().map(TensorInfo::name).toList(), b.tensors().stream().map(TensorInfo::name).toList());
            for (TensorInfo t : a.tensors()) {
                TensorInfo u = b.tensor(t.name()).orElseThrow();
                assertEquals(t.shape(), u.shape(), t.name());
                TensorView va = a.view(t);
                TensorView vb = b.view(u);
                if (t.type() == u.type()) {
                    assertEquals(-1, va.data().mismatch(vb.data()), t.name() + " bytes"); // every compressed tensor
                } else { // embeddings/lm_head: F32 in the HF folder, F16 in the GGUF, same values
                    float[] x = new float[(int) t.shape().elementCount()];
                    float[] y = new float[x.length];
                    va.readRows(0, (int) va.rows(), x, 0);
                    vb.readRows(0, (int) vb.rows(), y, 0);
                    assertTrue(Arrays.equals(x, y), t.name() + " values");
                }
            }
        }
        JsonValue.Obj want = (JsonValue.Obj) JsonParser.parse(Files.readString(hf.resolve("config.json")));
        JsonValue.Obj got = (JsonValue.Obj) JsonParser.parse(Files.readString(fromGguf.resolve("config.json")));
        for (var e : want.members().entrySet()) {
            if (!e.getKey().equals("torch_dtype")) {
                assertEquals(e.getValue(), got.get(e.getKey()).orElse(null), "config.json " + e.getKey());
            }
        }
        assertEquals("float16", got.string("torch_dtype").orElseThrow());
        assertEquals(CtConfig.configJson(got, scheme), Files.readString(fromGguf.resolve("config.json")));
    }

    @Test
    void unknownSchemeListsTheSchemes(@TempDir Path tmp) throws Exception {
        Path src = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        QuantException e = assertThrows(QuantException.class, () -> export(src, tmp.resolve("o"), Map.of("scheme", "W3A9")));
        assertTrue(e.getMessage().contains("'W3A9'") && e.getMessage().contains("W8A8, FP8_DYNAMIC, W4A16, W4A16_ASYM, FP8_BLOCK"),
                e.getMessage());
    }

    @Test
    void nonEmptyOutputDirectoryIsRefusedAndLeftAlone(@TempDir Path tmp) throws Exception {
        Path src = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        Path out = Files.createDirectories(tmp.resolve("o"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        QuantException e = assertThrows(QuantException.class, () -> export(src, out, Map.of("scheme", "W8A8")));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void closeWithoutCommitLeavesNothing(@TempDir Path tmp) throws Exception {
        Path src = SharedData.require("reference/hf/tiny-shakespeare-256-f32");
        try (ModelReader r = REGISTRY.formatFor(src).orElseThrow().open(src)) {
            List<ModelLayout.TensorSlot> slots = r.tensors().stream()
                    .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList();
            try (ModelWriter w = REGISTRY.format("compressed-tensors").create(tmp.resolve("o"),
                    new ModelLayout(r.metadata(), slots), new WriteOptions(0, 0).withFormatOptions(Map.of("scheme", "W4A16")))) {
                w.write(0, 0, r.view(r.tensors().get(0)).data());
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void unpermuteInvertsTheHfReadersPermutation() {
        // 2 heads of 4 rows, 1 element per row: llama.cpp row (h, j, s) holds HF row (h, s, j)
        float[] hf = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] llama = {0, 2, 1, 3, 4, 6, 5, 7};
        var shape = dev.quant4j.api.tensor.Shape.of(1, 8);
        var back = CtModelWriter.unpermute(TensorView.ofFloats("q", shape, llama).data(), shape,
                dev.quant4j.api.tensor.DType.F32, 2);
        float[] got = new float[8];
        new TensorView("q", dev.quant4j.api.tensor.DType.F32, shape, back).readRows(0, 8, got, 0);
        assertTrue(Arrays.equals(hf, got), Arrays.toString(got));
    }
}
