package dev.quant4j.integer.seed;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Contract checks and little-endian F32 access shared by the seed quantizers. */
final class SeedRows {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SeedRows() {
    }

    /** Refuses NaN and infinities, naming tensor, row, column and the flat element index. */
    static void checkFinite(String tensor, long row, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i])) {
                throw new QuantException(ErrorCode.NON_FINITE_INPUT, "tensor '" + tensor + "': " + x[i] + " at row "
                        + row + ", column " + i + " (element " + (row * n + i)
                        + "); fix or drop the weights before quantizing");
            }
        }
    }

    static void checkRange(String tensor, long firstRow, long rowCount, long rows) {
        if (firstRow < 0 || rowCount < 0 || firstRow + rowCount > rows) {
            throw new IllegalArgumentException("tensor '" + tensor + "': rows [" + firstRow + ", "
                    + (firstRow + rowCount) + ") are outside its " + rows + " rows");
        }
    }

    static void checkSize(String tensor, String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + what + " holds " + actual
                    + " bytes, " + expected + " expected");
        }
    }

    static void checkDst(float[] dst, long values) {
        if (dst.length < values) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, " + values + " needed");
        }
    }

    /** Max |x| of {@code x[from, from + len)}. */
    static float maxAbs(float[] x, int from, int len) {
        float m = 0f;
        for (int i = from; i < from + len; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }

    static void putF32(MemorySegment seg, long offset, float v) {
        seg.set(F32, offset, v);
    }

    static float getF32(MemorySegment seg, long offset) {
        return seg.get(F32, offset);
    }
}
