package dev.quant4j.api.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Batch reads of 16-bit tensors widen every bit pattern exactly as the one-row reads and the format define. */
class TensorViewReadTest {
    private static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** All 65,536 patterns as 256 rows of 256, stored little-endian after one byte so reads are unaligned. */
    private static MemorySegment allPatterns() {
        MemorySegment seg = Arena.ofAuto().allocate(2 * 65536 + 1).asSlice(1);
        for (int i = 0; i < 65536; i++) {
            seg.setAtIndex(LE, i, (short) i);
        }
        return seg;
    }

    @Test
    void f16AndBf16RowsWidenEveryPattern() {
        MemorySegment seg = allPatterns();
        for (DType type : new DType[] {DType.F16, DType.BF16}) {
            TensorView view = new TensorView("t", type, Shape.of(256, 256), seg);
            float[] batch = new float[3 + 256 * 256];
            view.readRows(0, 256, batch, 3);
            float[] row = new float[256];
            for (int r = 0; r < 256; r++) {
                view.readRow(r, row, 0);
                for (int c = 0; c < 256; c++) {
                    int bits = r * 256 + c;
                    float expected = type == DType.F16 ? Float.float16ToFloat((short) bits)
                            : Float.intBitsToFloat(bits << 16);
                    String what = type + " pattern " + Integer.toHexString(bits);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(batch[3 + r * 256 + c]), what);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(row[c]), what);
                }
            }
        }
    }
}
