package dev.quant4j.lowbit.kquant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class Q2KProviderTest {
    private final Quantizer q = new Q2KProvider().create(new NoOptions());

    @Test
    void registeredAsQ2K() {
        var p = QuantRegistry.load(getClass().getClassLoader()).quantizer("q2_k");
        assertEquals(Q2KProvider.class, p.getClass());
        for (Capability c : new Capability[] {Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT,
                Capability.GGML_EXACT, Capability.USES_CALIBRATION}) {
            assertTrue(p.descriptor().has(c), c.toString());
        }
    }

    @Test
    void refusesPartialBlocks() {
        QuantException e = assertThrows(QuantException.class, () -> q.encodedBytes("blk.1.ffn_down.weight", Shape.of(320, 4)));
        assertEquals(ErrorCode.UNSUPPORTED_SHAPE, e.code());
        assertTrue(e.getMessage().contains("blk.1.ffn_down.weight") && e.getMessage().contains("320")
                && e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void refusesNonFiniteInput() {
        float[] x = new float[512];
        x[300] = Float.POSITIVE_INFINITY;
        TensorView src = TensorView.ofFloats("w", Shape.of(256, 2), x);
        QuantException e = assertThrows(QuantException.class,
                () -> q.quantize(src, 0, 2, null, MemorySegment.ofArray(new byte[168])));
        assertEquals(ErrorCode.NON_FINITE_INPUT, e.code());
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("row 1")
                && e.getMessage().contains("column 44"), e.getMessage());
    }

    @Test
    void zeroBlockEncodesToZeros() {
        byte[] out = new byte[84];
        q.quantize(TensorView.ofFloats("z", Shape.of(256), new float[256]), 0, 1, null, MemorySegment.ofArray(out));
        assertEquals(0, java.util.stream.IntStream.range(0, 84).map(i -> out[i]).filter(b -> b != 0).count());
    }
}
