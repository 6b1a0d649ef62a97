package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole models: every tensor that llama-quantize wrote in one of our types (shared/reference) is reproduced
 * byte for byte from the same source tensor.
 */
class ReferenceModelsTest {
    private static final Map<DType, Quantizer> OURS = Map.of(
            DType.IQ4_NL, new Iq4NlQuantizer(), DType.IQ4_XS, new Iq4XsQuantizer(),
            DType.TQ1_0, new TernaryQuantizer(DType.TQ1_0), DType.TQ2_0, new TernaryQuantizer(DType.TQ2_0),
            DType.MXFP4, new Mxfp4Quantizer());

    @ParameterizedTest
    @CsvSource({
        "models/stories260K.gguf, reference/stories260K-IQ4_NL.gguf, 31",
        "models/stories260K.gguf, reference/stories260K-IQ4_XS.gguf, 31",
        "reference/synth/synth-8L.gguf, reference/synth/synth-8L-IQ4_XS.gguf, 56",
        "reference/synth/synth-8L.gguf, reference/synth/synth-8L-TQ1_0.gguf, 56",
        "reference/trained/tiny-shakespeare-256-f16.gguf, reference/trained/tiny-shakespeare-256-IQ4_XS.gguf, 43",
        "reference/trained/tiny-shakespeare-256-f16.gguf, reference/trained/tiny-shakespeare-256-TQ2_0.gguf, 42",
    })
    void everyTensorOfOurTypesIsByteIdentical(String source, String quantized, int expectedTensors) throws IOException {
        Map<String, TensorView> src = MiniGguf.read(SharedData.require(source)).tensors();
        Map<String, TensorView> ref = MiniGguf.read(SharedData.require(quantized)).tensors();
        List<String> checked = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (TensorView expected : ref.values()) {
                Quantizer q = OURS.get(expected.type());
                if (q == null) {
                    continue;
                }
                TensorView in = src.get(expected.name());
                MemorySegment got = q.quantize(in, null, arena).data();
                long mismatch = got.mismatch(expected.data());
                assertEquals(-1L, mismatch, quantized + " " + expected + ": first differing byte " + mismatch);
                checked.add(expected.name());
            }
        }
        assertTrue(!checked.isEmpty());
        assertEquals(expectedTensors, checked.size(), "tensors of our types in " + quantized + ": " + checked);
    }
}
