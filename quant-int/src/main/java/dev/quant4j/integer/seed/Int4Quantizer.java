package dev.quant4j.integer.seed;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Asymmetric 4-bit codes, one (scale, min) pair per group of {@code g} values of a row.
 *
 * <p>Per group: {@code scale = (max - min) / 15} and {@code q = clamp(round((x - min) / scale), 0, 15)}
 * (ties to even; q = 0 when scale is 0), decoded as {@code x' = min + q * scale}. The zero point is kept as
 * the float {@code min} (the value code 0 stands for) rather than an integer, so a group whose values are
 * all equal decodes exactly. The arithmetic runs in double and the scale is stored as F32, so ranges up to
 * the full float range do not overflow; the error is {@code |x - x'| <= scale / 2} up to float rounding of
 * the result.
 *
 * <p>Row layout ({@code n / g} groups): for each group its F32 scale then its F32 min (8 bytes, little
 * endian), then {@code ceil(n / 2)} bytes of codes, two per byte, the even-indexed value in the low nibble;
 * an odd row leaves the last high nibble 0. Rows are independent.
 */
public final class Int4Quantizer implements Quantizer {
    private final int groupSize;
    private final TensorEncoding encoding;

    Int4Quantizer(Int4Options options) {
        this.groupSize = options.groupSize();
        this.encoding = new TensorEncoding.Custom("int4/g" + groupSize);
    }

    @Override
    public TensorEncoding encoding() {
        return encoding;
    }

    public int groupSize() {
        return groupSize;
    }

    /** Bytes of one row of {@code n} values. */
    public long rowBytes(int n) {
        return 8L * (n / groupSize) + (n + 1) / 2;
    }

    @Override
    public long encodedBytes(String tensor, Shape shape) {
        long n = shape.rowLength();
        if (n % groupSize != 0) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + tensor + "': row length " + n
                    + " is not a multiple of group size " + groupSize + " required by " + encoding.name()
                    + "; pick a group size that divides " + n);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + tensor + "': row length " + n
                    + " is too long for int4");
        }
        return Math.multiplyExact(rowBytes((int) n), shape.rows());
    }

    @Override
    public void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst) {
        String name = src.name();
        encodedBytes(name, src.shape());
        SeedRows.checkRange(name, firstRow, rowCount, src.rows());
        int n = (int) src.rowLength();
        long rb = rowBytes(n);
        SeedRows.checkSize(name, "destination", dst.byteSize(), rowCount * rb);
        int groups = n / groupSize;
        float[] x = new float[n];
        byte[] packed = new byte[(n + 1) / 2];
        for (long r = 0; r < rowCount; r++) {
            long row = firstRow + r;
            src.readRow(row, x, 0);
            SeedRows.checkFinite(name, row, x, n);
            java.util.Arrays.fill(packed, (byte) 0);
            long base = r * rb;
            for (int g = 0; g < groups; g++) {
                int from = g * groupSize;
                float min = x[from];
                float max = x[from];
                for (int i = from + 1; i < from + groupSize; i++) {
                    min = Math.min(min, x[i]);
                    max = Math.max(max, x[i]);
                }
                float scale = (float) (((double) max - min) / 15.0);
                SeedRows.putF32(dst, base + 8L * g, scale);
                SeedRows.putF32(dst, base + 8L * g + 4, min);
                for (int i = from; i < from + groupSize; i++) {
                    int q = scale == 0f ? 0 : (int) Math.rint(Math.clamp(((double) x[i] - min) / scale, 0.0, 15.0));
                    packed[i >> 1] |= (byte) ((i & 1) == 0 ? q : q << 4);
                }
            }
            MemorySegment.copy(packed, 0, dst, ValueLayout.JAVA_BYTE, base + 8L * groups, packed.length);
        }
    }

    @Override
    public void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst) {
        String name = "(" + encoding.name() + " " + shape + ")";
        encodedBytes(name, shape);
        SeedRows.checkRange(name, firstRow, rowCount, shape.rows());
        int n = (int) shape.rowLength();
        long rb = rowBytes(n);
        SeedRows.checkSize(name, "encoding", encoded.byteSize(), rowCount * rb);
        SeedRows.checkDst(dst, rowCount * n);
        int groups = n / groupSize;
        byte[] packed = new byte[(n + 1) / 2];
        for (long r = 0; r < rowCount; r++) {
            long base = r * rb;
            MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, base + 8L * groups, packed, 0, packed.length);
            int out = (int) (r * n);
            for (int g = 0; g < groups; g++) {
                double scale = SeedRows.getF32(encoded, base + 8L * g);
                double min = SeedRows.getF32(encoded, base + 8L * g + 4);
                for (int i = g * groupSize; i < (g + 1) * groupSize; i++) {
                    int q = (packed[i >> 1] >> ((i & 1) << 2)) & 0xF;
                    // the clamp only matters at the very top of the float range, where rounding could overflow
                    dst[out + i] = (float) Math.clamp(min + q * scale, -Float.MAX_VALUE, Float.MAX_VALUE);
                }
            }
        }
    }
}
