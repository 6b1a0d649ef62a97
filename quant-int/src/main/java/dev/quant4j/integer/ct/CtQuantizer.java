package dev.quant4j.integer.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.Fp8;
import dev.quant4j.kernels.RtnCodes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Round-to-nearest into the compressed-tensors layouts (compressed-tensors 0.18.0: calculate_qparams, _quantize,
 * pack_to_int32), the one implementation behind quant-int's {@code int8}/{@code int4}/{@code fp8_e4m3} with
 * {@code layout=compressed-tensors} and the compressed-tensors writer, which reaches it through the registry.
 *
 * <p>Numerics: per scale unit the range [min(lo, 0), max(hi, 0)]; symmetric scale absmax / ((qmax − qmin)/2)
 * (int8 /127.5, int4 /7.5), FP8 absmax / 448, asymmetric (max − min)/(qmax − qmin) with zero point
 * round(qmin − min/scale); the scale rounded to its dtype, a zero scale replaced by the dtype's eps; code
 * clamp(x/scale + zp) rounded half to even, or the saturating RNE cast to float8_e4m3fn.
 *
 * <p>Encoding. Channel and group strategies (rows independent) store each row as the row's slice of every
 * compressed-tensors tensor, in order: codes — int8/FP8 one byte per value ({@code weight}), int4 as
 * {@code ceil(n/8)} little-endian int32 words, value j at bits 4·(j mod 8) of word j/8 stored as code + 8
 * ({@code weight_packed}) —, then the row's {@code n/group} scales ({@code weight_scale}, 1 for channel) in the
 * scale dtype, then for asymmetric args the row's zero points, one signed byte each (compressed-tensors packs
 * {@code weight_zero_point} along the output dimension, across rows, so the writer packs these columns). The
 * block strategy (one scale per block × block tile, rows not independent) stores every code row after row, then
 * the scale grid [ceil(rows/block), ceil(n/block)] row-major.
 */
public final class CtQuantizer implements Quantizer {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final Fp8 E4M3 = Fp8.E4M3FN;

    private final CtArgs args;
    private final TensorEncoding encoding;

    public CtQuantizer(CtArgs args) {
        this.args = args;
        this.encoding = new TensorEncoding.Custom(args.label());
    }

    public CtArgs args() {
        return args;
    }

    @Override
    public TensorEncoding encoding() {
        return encoding;
    }

    @Override
    public int scaleGroup() {
        return args.group();
    }

    /** True unless block-scaled. */
    public boolean rowIndependent() {
        return args.block() == 0;
    }

    private int codeBytes(int n) {
        return args.bits() == 4 ? 4 * ((n + 7) / 8) : n;
    }

    private int scalesPerRow(int n) {
        return args.group() == 0 ? 1 : n / args.group();
    }

    private long rowBytes(int n) {
        int g = scalesPerRow(n);
        return codeBytes(n) + (long) g * args.scaleDtype().bytes() + (args.symmetric() ? 0 : g);
    }

    @Override
    public long encodedBytes(String tensor, Shape shape) {
        long n = shape.rowLength();
        if (n > Integer.MAX_VALUE / 2) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + tensor + "': row length " + n
                    + " is too long for " + encoding.name());
        }
        if (args.group() > 0 && n % args.group() != 0) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + tensor + "': row length " + n
                    + " is not a multiple of the group size " + args.group() + " required by " + encoding.name());
        }
        if (args.block() > 0) {
            long b = args.block();
            return Math.addExact(Math.multiplyExact(n, shape.rows()),
                    ((shape.rows() + b - 1) / b) * ((n + b - 1) / b) * args.scaleDtype().bytes());
        }
        return Math.multiplyExact(rowBytes((int) n), shape.rows());
    }

    @Override
    public void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst) {
        String name = src.name();
        long total = encodedBytes(name, src.shape());
        check(name, firstRow, rowCount, src.rows());
        int n = (int) src.rowLength();
        float[] x = new float[n];
        if (args.block() > 0) {
            whole(name, firstRow, rowCount, src.rows(), "quantize");
            size(name, "destination", dst.byteSize(), total);
            quantizeBlocks(src, n, dst);
            return;
        }
        long rb = rowBytes(n);
        size(name, "destination", dst.byteSize(), rowCount * rb);
        int groups = scalesPerRow(n);
        int per = n / groups;
        float[] scale = new float[groups];
        int[] zp = new int[groups];
        byte[] codes = new byte[n];
        for (long r = 0; r < rowCount; r++) {
            long row = firstRow + r;
            src.readRow(row, x, 0);
            finite(name, row, x);
            for (int g = 0; g < groups; g++) {
                float lo = 0f;
                float hi = 0f;
                for (int i = g * per; i < (g + 1) * per; i++) {
                    lo = Math.min(lo, x[i]);
                    hi = Math.max(hi, x[i]);
                }
                scale[g] = scaleOf(lo, hi);
                zp[g] = args.symmetric() ? 0 : RtnCodes.zeroPoint(lo, scale[g], args.qmin(), args.qmax());
                for (int i = g * per; i < (g + 1) * per; i++) {
                    codes[i] = code(x[i], scale[g], zp[g]);
                }
            }
            MemorySegment out = dst.asSlice(r * rb, rb);
            putCodes(codes, n, out);
            long at = codeBytes(n);
            for (int g = 0; g < groups; g++) {
                args.scaleDtype().put(out, at + (long) g * args.scaleDtype().bytes(), scale[g]);
            }
            at += (long) groups * args.scaleDtype().bytes();
            if (!args.symmetric()) {
                for (int g = 0; g < groups; g++) {
                    out.set(ValueLayout.JAVA_BYTE, at + g, (byte) zp[g]);
                }
            }
        }
    }

    /** The scale of a unit whose range (widened to hold 0) is [lo, hi], rounded to the scale dtype. */
    private float scaleOf(float lo, float hi) {
        float absmax = Math.max(-lo, hi);
        float s;
        if (args.fp8()) {
            s = RtnCodes.fp8Scale(absmax, E4M3);
        } else if (args.symmetric()) {
            s = RtnCodes.symmetricScale(absmax, args.qmin(), args.qmax());
        } else {
            s = RtnCodes.asymmetricScale(lo, hi, args.qmin(), args.qmax());
        }
        s = args.scaleDtype().round(s);
        return s == 0f ? args.scaleDtype().eps() : s;
    }

    private byte code(float x, float scale, int zp) {
        float v = x / scale;
        return args.fp8() ? RtnCodes.fp8Code(v, E4M3) : (byte) RtnCodes.intCode(v + zp, args.qmin(), args.qmax());
    }

    private float value(byte code, float scale, int zp) {
        return args.fp8() ? E4M3.decode(code) * scale : (code - zp) * scale;
    }

    private void putCodes(byte[] codes, int n, MemorySegment out) {
        if (args.bits() == 8) {
            MemorySegment.copy(codes, 0, out, ValueLayout.JAVA_BYTE, 0, n);
            return;
        }
        for (int w = 0; w < (n + 7) / 8; w++) {
            int word = 0;
            for (int k = 0; k < 8 && w * 8 + k < n; k++) {
                word |= ((codes[w * 8 + k] + 8) & 0xF) << (4 * k);
            }
            out.set(I32, 4L * w, word);
        }
    }

    private void getCodes(MemorySegment in, int n, byte[] codes) {
        if (args.bits() == 8) {
            MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 0, codes, 0, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            int word = in.get(I32, 4L * (j / 8));
            codes[j] = (byte) (((word >>> (4 * (j % 8))) & 0xF) - 8);
        }
    }

    private void quantizeBlocks(TensorView src, int n, MemorySegment dst) {
        int rows = Math.toIntExact(src.rows());
        int b = args.block();
        int sc = (n + b - 1) / b;
        int sr = (rows + b - 1) / b;
        float[] lo = new float[sr * sc];
        float[] hi = new float[sr * sc];
        float[] x = new float[n];
        for (int r = 0; r < rows; r++) {
            src.readRow(r, x, 0);
            finite(src.name(), r, x);
            for (int c = 0; c < n; c++) {
                int t = (r / b) * sc + c / b;
                lo[t] = Math.min(lo[t], x[c]);
                hi[t] = Math.max(hi[t], x[c]);
            }
        }
        float[] scale = new float[sr * sc];
        for (int t = 0; t < scale.length; t++) {
            scale[t] = scaleOf(lo[t], hi[t]);
        }
        byte[] codes = new byte[n];
        for (int r = 0; r < rows; r++) {
            src.readRow(r, x, 0);
            for (int c = 0; c < n; c++) {
                codes[c] = code(x[c], scale[(r / b) * sc + c / b], 0);
            }
            MemorySegment.copy(codes, 0, dst, ValueLayout.JAVA_BYTE, (long) r * n, n);
        }
        long at = (long) rows * n;
        for (int t = 0; t < scale.length; t++) {
            args.scaleDtype().put(dst, at + (long) t * args.scaleDtype().bytes(), scale[t]);
        }
    }

    @Override
    public void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst) {
        String name = "(" + encoding.name() + " " + shape + ")";
        long total = encodedBytes(name, shape);
        check(name, firstRow, rowCount, shape.rows());
        int n = (int) shape.rowLength();
        if (dst.length < rowCount * n) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, " + rowCount * n + " needed");
        }
        byte[] codes = new byte[n];
        if (args.block() > 0) {
            whole(name, firstRow, rowCount, shape.rows(), "dequantize");
            size(name, "encoding", encoded.byteSize(), total);
            int b = args.block();
            int sc = (n + b - 1) / b;
            long at = rowCount * n;
            for (int r = 0; r < rowCount; r++) {
                MemorySegment.copy(encoded, ValueLayout.JAVA_BYTE, (long) r * n, codes, 0, n);
                for (int c = 0; c < n; c++) {
                    float s = args.scaleDtype().get(encoded, at + (long) ((r / b) * sc + c / b) * args.scaleDtype().bytes());
                    dst[r * n + c] = value(codes[c], s, 0);
                }
            }
            return;
        }
        long rb = rowBytes(n);
        size(name, "encoding", encoded.byteSize(), rowCount * rb);
        int groups = scalesPerRow(n);
        int per = n / groups;
        for (long r = 0; r < rowCount; r++) {
            MemorySegment in = encoded.asSlice(r * rb, rb);
            getCodes(in, n, codes);
            long at = codeBytes(n);
            long zpAt = at + (long) groups * args.scaleDtype().bytes();
            for (int g = 0; g < groups; g++) {
                float s = args.scaleDtype().get(in, at + (long) g * args.scaleDtype().bytes());
                int zp = args.symmetric() ? 0 : in.get(ValueLayout.JAVA_BYTE, zpAt + g);
                for (int i = g * per; i < (g + 1) * per; i++) {
                    dst[(int) (r * n) + i] = value(codes[i], s, zp);
                }
            }
        }
    }

    private static void check(String tensor, long firstRow, long rowCount, long rows) {
        if (firstRow < 0 || rowCount < 0 || firstRow + rowCount > rows) {
            throw new IllegalArgumentException("tensor '" + tensor + "': rows [" + firstRow + ", "
                    + (firstRow + rowCount) + ") are outside its " + rows + " rows");
        }
    }

    private static void size(String tensor, String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + what + " holds " + actual
                    + " bytes, " + expected + " expected");
        }
    }

    private void whole(String tensor, long firstRow, long rowCount, long rows, String op) {
        if (firstRow != 0 || rowCount != rows) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + encoding.name() + " shares scales across "
                    + args.block() + " rows, so it can only " + op + " all " + rows + " rows at once, not rows ["
                    + firstRow + ", " + (firstRow + rowCount) + ")");
        }
    }

    private static void finite(String tensor, long row, float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new QuantException(ErrorCode.NON_FINITE_INPUT, "tensor '" + tensor + "': " + x[i] + " at row "
                        + row + ", column " + i + "; fix or drop the weights before quantizing");
            }
        }
    }
}
