package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file types llama-quantize offers, run end to end on the MoE model shared/reference/eval/models/synth-moe.gguf
 * with the plugins installed on the test class path: every name llama-quantize 34af94cd accepts plans with installed
 * quantizers only (nothing is listed that is not installed), and the newest types (MXFP4_MOE, Q1_0, Q2_0, and our single-type nvfp4) write
 * exactly the bytes their quantizers give for each tensor, stacked experts included.
 */
class NewTypesQuantizeTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(NewTypesQuantizeTest.class.getClassLoader());
    private static final String MODEL = "reference/eval/models/synth-moe.gguf";
    private static final String IMATRIX = "reference/eval/imatrix/synth-moe.imatrix.gguf";

    /** tools/quantize/quantize.cpp QUANT_OPTIONS of llama.cpp 34af94cd, in its order. */
    @ParameterizedTest
    @ValueSource(strings = {"Q1_0", "Q2_0", "Q4_0", "Q4_1", "MXFP4_MOE", "Q5_0", "Q5_1", "IQ2_XXS", "IQ2_XS", "IQ2_S",
        "IQ2_M", "IQ1_S", "IQ1_M", "TQ1_0", "TQ2_0", "Q2_K", "Q2_K_S", "IQ3_XXS", "IQ3_S", "IQ3_M", "Q3_K", "IQ3_XS",
        "Q3_K_S", "Q3_K_M", "Q3_K_L", "IQ4_NL", "IQ4_XS", "Q4_K", "Q4_K_S", "Q4_K_M", "Q5_K", "Q5_K_S", "Q5_K_M",
        "Q6_K", "Q8_0", "F16", "BF16", "F32", "COPY"})
    void everyLlamaQuantizeFileTypeIsInstalled(String fileType) throws IOException {
        // a dry run plans every tensor and resolves the quantizer of each target type (it fails naming what is
        // not installed); the imatrix lets the IQ1/IQ2/IQ3_XXS and Q2_K_S mixtures plan, as llama-quantize requires.
        // Writing is covered for the new types below and for the others by LlamaCppReferenceTest.
        QuantizeReport r = QuantizeJob.builder(REGISTRY).input(SharedData.require(MODEL)).dryRun(true)
                .planner(FileTypes.plannerFor(REGISTRY, fileType), FileTypes.plannerOptions(REGISTRY, fileType))
                .importance(SharedData.require(IMATRIX)).threads(2).measureError(false).build().run();
        assertEquals(43, r.tensors().size());
    }

    /**
     * Every ggml type name is also a TYPE (a llama-quantize file type of that name, else that type for every
     * quantizable tensor): each type ggml can write a weight in plans with an installed quantizer, and the two
     * dot-product intermediates (q8_1, q8_K) and the non-weight types are refused with a message naming them.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void everyGgmlTypeNameIsInstalledOrRefusedClearly(DType type) throws IOException {
        boolean writable = type == DType.F32 || type == DType.F16 || type == DType.BF16
                || type.isQuantized() && type != DType.Q8_1 && type != DType.Q8_K;
        QuantizeJob job = QuantizeJob.builder(REGISTRY).input(SharedData.require(MODEL)).dryRun(true)
                .planner(FileTypes.LLAMA_CPP, FileTypes.plannerOptions(REGISTRY, type.ggmlName()))
                .importance(SharedData.require(IMATRIX)).threads(1).measureError(false).build();
        if (writable) {
            assertTrue(REGISTRY.find(ProviderKind.QUANTIZER, type.lowerName()).isPresent(), type + " installed");
            assertEquals(43, job.run().tensors().size());
        } else {
            Exception e = assertThrows(RuntimeException.class, job::run);
            assertTrue(e.getMessage().contains(type.ggmlName()), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({"MXFP4_MOE, 38", "Q1_0, 40", "Q2_0, 41", "nvfp4, 39"})
    void newTypesWriteTheQuantizersBytes(String fileType, int ftypeId, @TempDir Path tmp) throws IOException {
        Path in = SharedData.require(MODEL);
        Path out = tmp.resolve("out.gguf");
        QuantizeJob.builder(REGISTRY).input(in).output(out)
                .planner(FileTypes.plannerFor(REGISTRY, fileType), FileTypes.plannerOptions(REGISTRY, fileType))
                .threads(2).measureError(false).build().run();
        Set<DType> written = EnumSet.noneOf(DType.class);
        List<String> wrong = new ArrayList<>();
        try (ModelReader src = REGISTRY.format("gguf").open(in); ModelReader got = REGISTRY.format("gguf").open(out);
             Arena arena = Arena.ofConfined()) {
            assertEquals(MetaValue.u32(ftypeId), got.metadata().get("general.file_type").orElseThrow());
            for (TensorInfo g : got.tensors()) {
                TensorInfo s = src.tensors().stream().filter(t -> t.name().equals(g.name())).findFirst().orElseThrow();
                written.add(g.type());
                if (!g.type().isQuantized()) {
                    continue;
                }
                Quantizer q = quantizer(g.type());
                MemorySegment expected = arena.allocate(q.encodedBytes(g.name(), s.shape()));
                q.quantize(src.view(s), 0, s.shape().rows(), null, expected);
                long at = expected.mismatch(got.view(g).data());
                if (at >= 0) {
                    wrong.add(g.name() + " (" + g.type().lowerName() + ") differs at byte " + at);
                }
            }
        }
        assertEquals(List.of(), wrong);
        DType main = switch (fileType) {
            case "MXFP4_MOE" -> DType.MXFP4;
            case "Q1_0" -> DType.Q1_0;
            case "Q2_0" -> DType.Q2_0;
            default -> DType.NVFP4;
        };
        assertTrue(written.contains(main), fileType + " wrote " + written);
    }

    private static Quantizer quantizer(DType t) {
        assertTrue(REGISTRY.find(ProviderKind.QUANTIZER, t.lowerName()).isPresent(), t + " installed");
        return Workers.quantizer(REGISTRY.quantizer(t.lowerName()), Map.of());
    }
}
