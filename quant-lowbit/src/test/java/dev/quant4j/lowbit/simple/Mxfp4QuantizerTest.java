package dev.quant4j.lowbit.simple;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class Mxfp4QuantizerTest {
    @Test
    void floorOfSinglePrecisionLog2() {
        assertEquals(3, Mxfp4Quantizer.floorLog2f(8f));
        assertEquals(2, Mxfp4Quantizer.floorLog2f(7.5f));
        // log2 of the float just below 8 is 3 - 8.6e-8, which rounds to 3.0f in single precision
        assertEquals(3, Mxfp4Quantizer.floorLog2f(Math.nextDown(8f)));
        // just below 2 the float spacing of log2 near 1 is finer, so the floor stays 0
        assertEquals(0, Mxfp4Quantizer.floorLog2f(Math.nextDown(2f)));
        assertEquals(-1, Mxfp4Quantizer.floorLog2f(0.5f));
        assertEquals(-149, Mxfp4Quantizer.floorLog2f(Float.MIN_VALUE));
    }

    @Test
    void e8m0HalfScale() {
        assertEquals(1f, Mxfp4Quantizer.half(128));
        assertEquals(0.5f, Mxfp4Quantizer.half(127));
        assertEquals(Math.scalb(1f, -127), Mxfp4Quantizer.half(1));
        assertEquals(Math.scalb(1f, -128), Mxfp4Quantizer.half(0));
    }

    @Test
    void handComputedBlock() {
        // amax 6 -> e = floor(log2 6) - 2 + 127 = 127, scale 0.5: levels are 0, 0.5, 1, 1.5, 2, 3, 4, 6
        float[] x = new float[32];
        x[0] = 6f;       // code 7
        x[1] = -1.2f;    // nearest -1.0 = code 10
        x[2] = 0.25f;    // tie between 0 and 0.5: the first (code 0) wins
        x[16] = -0.1f;   // +0 (code 0) is tried before -0 (code 8)
        x[17] = 2.6f;    // nearer 3 (code 5) than 2 (code 4)
        byte[] expected = new byte[17];
        expected[0] = 127;
        expected[1] = 7;
        expected[2] = 10 | 5 << 4;
        MemorySegment out = MemorySegment.ofArray(new byte[17]);
        Mxfp4Quantizer q = new Mxfp4Quantizer();
        q.quantize(TensorView.ofFloats("t", Shape.of(32), x), 0, 1, null, out);
        assertArrayEquals(expected, out.toArray(ValueLayout.JAVA_BYTE));
        float[] back = new float[32];
        q.dequantize(out, Shape.of(32), 0, 1, back);
        assertEquals(6f, back[0]);
        assertEquals(-1f, back[1]);
        assertEquals(3f, back[17]);
    }
}
