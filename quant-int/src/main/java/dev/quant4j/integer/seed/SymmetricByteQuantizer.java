package dev.quant4j.integer.seed;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Symmetric scaled one-byte codes (int8, FP8) in a {@link ScaleLayout}: {@code scale = max|x| / qmax} over
 * the values sharing it, {@code code = encode(x / scale)}, {@code x' = decode(code) * scale}. A scale of 0
 * (all values zero) stores codes 0. Scales are little-endian F32.
 *
 * <p>Per-row and per-group encodings take any row range; per-tensor needs the whole tensor in one call
 * ({@link #rowIndependent()} says which).
 */
public final class SymmetricByteQuantizer implements Quantizer {
    private final String method;
    private final ByteCodec codec;
    private final ScaleLayout layout;
    private final TensorEncoding encoding;

    SymmetricByteQuantizer(String method, ByteCodec codec, ScaleLayout layout) {
        this.method = method;
        this.codec = codec;
        this.layout = layout;
        this.encoding = new TensorEncoding.Custom(method + "/" + layout.label());
    }

    @Override
    public TensorEncoding encoding() {
        return encoding;
    }

    public ScaleLayout layout() {
        return layout;
    }

    /** True unless per-tensor: row ranges may then be encoded in parallel into their own slices. */
    public boolean rowIndependent() {
        return layout.rowIndependent();
    }

    @Override
    public long encodedBytes(String tensor, Shape shape) {
        return layout.encodedBytes(method, tensor, shape);
    }

    @Override
    public void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst) {
        String name = src.name();
        long total = encodedBytes(name, src.shape());
        SeedRows.checkRange(name, firstRow, rowCount, src.rows());
        int n = (int) src.rowLength();
        float[] x = new float[n];
        byte[] codes = new byte[n];
        if (!layout.rowIndependent()) {
            requireWhole(name, firstRow, rowCount, src.rows(), "quantize");
            SeedRows.checkSize(name, "destination", dst.byteSize(), total);
            float amax = 0f;
            for (long r = 0; r < rowCount; r++) {
                src.readRow(r, x, 0);
                SeedRows.checkFinite(name, r, x, n);
                amax = Math.max(amax, SeedRows.maxAbs(x, 0, n));
            }
            float scale = codec.scale(amax);
            SeedRows.putF32(dst, 0, scale);
            for (long r = 0; r < rowCount; r++) {
                src.readRow(r, x, 0);
                encodeRun(x, 0, n, scale, codes);
                MemorySegment.copy(codes, 0, dst, ValueLayout.JAVA_BYTE, 4 + r * n, n);
            }
            return;
        }
        long rb = layout.rowBytes(n);
        SeedRows.checkSize(name, "destination", dst.byteSize(), rowCount * rb);
        int spr = layout.scalesPerRow(n);
        int per = layout.valuesPerScale(n);
        for (long r = 0; r < rowCount; r++) {
            long row = firstRow + r;
            src.readRow(row, x, 0);
            SeedRows.checkFinite(name, row, x, n);
            long base = r * rb;
            for (int g = 0; g < spr; g++) {
                float scale = codec.scale(SeedRows.maxAbs(x, g * per, per));
                SeedRows.putF32(dst, base + 4L * g, scale);
                encodeRun(x, g * per, per, scale, codes);
            }
            MemorySegment.copy(codes, 0, dst, ValueLayout.JAVA_BYTE, base + 4L * spr, n);
        }
    }

    private void encodeRun(float[] x, int from, int len, float scale, byte[] codes) {
        if (scale == 0f) {
            java.util.Arrays.fill(codes, from, from + len, (byte) 0);
            return;
        }
        for (int i = from; i < from + len; i++) {
            codes[i] = codec.encode(x[i] / scale);
        }
    }

    @Override
    public void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst) {
        String name = "(" + encoding.name() + " " + shape + ")";
        long total = encodedBytes(name, shape);
        SeedRows.checkRange(name, firstRow, rowCount, shape.rows());
        int n = (int) shape.rowLength();
        SeedRows.checkDst(dst, rowCount * n);
        byte[] codes = new byte[n];
        if (!layout.rowIndependent()) {
            requireWhole(name, firstRow, rowCount, shape.rows(), "dequantize");
            SeedRows.checkSize(name, "encoding", encoded.byteSize(), total);
            float scale = SeedRows.getF32(encoded, 0);
            for (long r = 0; r < rowCount; r++) {
                MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, 4 + r * n, codes, 0, n);
                decodeRun(codes, 0, n, scale, dst, (int) (r * n));
            }
            return;
        }
        long rb = layout.rowBytes(n);
        SeedRows.checkSize(name, "encoding", encoded.byteSize(), rowCount * rb);
        int spr = layout.scalesPerRow(n);
        int per = layout.valuesPerScale(n);
        for (long r = 0; r < rowCount; r++) {
            long base = r * rb;
            MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, base + 4L * spr, codes, 0, n);
            int out = (int) (r * n);
            for (int g = 0; g < spr; g++) {
                decodeRun(codes, g * per, per, SeedRows.getF32(encoded, base + 4L * g), dst, out);
            }
        }
    }

    private void decodeRun(byte[] codes, int from, int len, float scale, float[] dst, int dstRow) {
        for (int i = from; i < from + len; i++) {
            dst[dstRow + i] = codec.decode(codes[i]) * scale;
        }
    }

    private void requireWhole(String tensor, long firstRow, long rowCount, long rows, String op) {
        if (firstRow != 0 || rowCount != rows) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + encoding.name()
                    + " has one scale for the whole tensor, so it can only " + op + " all " + rows
                    + " rows at once, not rows [" + firstRow + ", " + (firstRow + rowCount) + ")");
        }
    }
}
