package dev.quant4j.safetensors.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.Fp8;
import dev.quant4j.kernels.RtnCodes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Round-to-nearest quantization of one Linear weight into a compressed-tensors layout, with compressed-tensors'
 * own scale rules (quantization/utils/helpers.py calculate_qparams; lifecycle/forward_helpers.py _quantize):
 * symmetric scale = absmax / ((qmax − qmin) / 2) (int8: /127.5, int4: /7.5, FP8: /448); asymmetric scale =
 * (max − min) / (qmax − qmin) with min ≤ 0 ≤ max and zero point round(qmin − min / scale); a zero scale becomes
 * the scale dtype's eps; q = clamp(x / scale + zp, qmin, qmax) rounded half-to-even (int) or cast to
 * float8_e4m3fn (FP8). Scales are rounded to {@code scaleType} (the checkpoint's dtype, as PyTorch stores them)
 * before use. Arithmetic is float32 (PyTorch works in the weight's dtype; results can differ by one step where a
 * BF16 quotient rounds differently).
 */
public final class CtCompressor {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final float FP8_MAX = Fp8.E4M3FN.maxFinite();

    private CtCompressor() {
    }

    /**
     * Compresses {@code weight} (HF [out, in], ggml shape [in, out]) stored under {@code prefix + ".weight"}.
     *
     * @param scaleType F32, F16 or BF16: the dtype of weight_scale
     */
    public static List<CtTensor> compress(String prefix, TensorView weight, CtScheme scheme, DType scaleType) {
        if (weight.shape().rank() != 2) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + weight.name() + "': compressed-tensors "
                    + scheme + " quantizes 2-D Linear weights; shape " + weight.shape());
        }
        int in = Math.toIntExact(weight.shape().ne(0));
        int out = Math.toIntExact(weight.shape().ne(1));
        QuantArgs a = scheme.weights();
        return switch (a.strategy()) {
            case "channel" -> blocks(prefix, weight, scheme, scaleType, out, in, 1, in);
            case "group" -> {
                if (in % a.groupSize() != 0) {
                    throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + weight.name() + "': row length "
                            + in + " is not a multiple of the group size " + a.groupSize() + " required by " + scheme);
                }
                yield blocks(prefix, weight, scheme, scaleType, out, in, 1, a.groupSize());
            }
            case "block" -> blocks(prefix, weight, scheme, scaleType, out, in, a.blockStructure().get(0),
                    a.blockStructure().get(1));
            default -> throw new IllegalStateException(a.strategy());
        };
    }

    /** The tensors {@link #compress} makes of a weight of this shape, without computing them (for sizing). */
    public static List<dev.quant4j.api.spi.ModelLayout.TensorSlot> layout(String prefix, Shape shape, CtScheme scheme,
                                                                         DType scaleType) {
        int in = Math.toIntExact(shape.ne(0));
        int out = Math.toIntExact(shape.ne(1));
        QuantArgs a = scheme.weights();
        int br = a.strategy().equals("block") ? a.blockStructure().get(0) : 1;
        int bc = switch (a.strategy()) {
            case "group" -> a.groupSize();
            case "block" -> a.blockStructure().get(1);
            default -> in;
        };
        int sr = ceilDiv(out, br);
        int sc = ceilDiv(in, bc);
        List<dev.quant4j.api.spi.ModelLayout.TensorSlot> t = new ArrayList<>();
        if (scheme.format().equals("pack-quantized")) {
            t.add(slot(prefix + ".weight_packed", DType.I32, Shape.of(ceilDiv(in * a.numBits(), 32), out)));
            t.add(slot(prefix + ".weight_scale", scaleType, Shape.of(sc, sr)));
            t.add(slot(prefix + ".weight_shape", DType.I64, Shape.of(2)));
            if (!a.symmetric()) {
                t.add(slot(prefix + ".weight_zero_point", DType.I32, Shape.of(sc, ceilDiv(sr * a.numBits(), 32))));
            }
        } else {
            t.add(slot(prefix + ".weight", a.type().equals("float") ? DType.F8_E4M3 : DType.I8, Shape.of(in, out)));
            t.add(slot(prefix + ".weight_scale", scaleType, Shape.of(sc, sr)));
        }
        return t;
    }

    private static dev.quant4j.api.spi.ModelLayout.TensorSlot slot(String name, DType type, Shape shape) {
        return new dev.quant4j.api.spi.ModelLayout.TensorSlot(name, type, shape,
                dev.quant4j.api.tensor.TensorInfo.byteSize(type, shape));
    }

    /** Scales (and zero points) per block of {@code br × bc} (channel: 1 × in; group: 1 × g), then the codes. */
    private static List<CtTensor> blocks(String prefix, TensorView w, CtScheme scheme, DType scaleType, int out,
                                         int in, int br, int bc) {
        QuantArgs a = scheme.weights();
        int sr = ceilDiv(out, br);
        int sc = ceilDiv(in, bc);
        float[] scale = new float[sr * sc];
        int[] zp = a.symmetric() ? null : new int[sr * sc];
        float[] row = new float[in];
        float[] lo = new float[sr * sc];
        float[] hi = new float[sr * sc];
        for (int r = 0; r < out; r++) {
            w.readRow(r, row, 0);
            for (int c = 0; c < in; c++) {
                int b = (r / br) * sc + c / bc;
                lo[b] = Math.min(lo[b], row[c]); // starts at 0: min ≤ 0 ≤ max, as compressed-tensors clips
                hi[b] = Math.max(hi[b], row[c]);
            }
        }
        for (int b = 0; b < scale.length; b++) {
            float s;
            float absmax = Math.max(Math.abs(lo[b]), Math.abs(hi[b]));
            if (a.type().equals("float")) {
                s = RtnCodes.fp8Scale(absmax, Fp8.E4M3FN);
            } else if (a.symmetric()) {
                s = RtnCodes.symmetricScale(absmax, (int) a.qmin(), (int) a.qmax());
            } else {
                s = RtnCodes.asymmetricScale(lo[b], hi[b], (int) a.qmin(), (int) a.qmax());
            }
            s = roundTo(scaleType, s);
            if (s == 0f) {
                s = eps(scaleType);
            }
            scale[b] = s;
            if (zp != null) {
                zp[b] = RtnCodes.zeroPoint(lo[b], s, (int) a.qmin(), (int) a.qmax());
            }
        }
        boolean fp8 = a.type().equals("float");
        MemorySegment codes = Arena.ofAuto().allocate((long) out * in);
        for (int r = 0; r < out; r++) {
            w.readRow(r, row, 0);
            for (int c = 0; c < in; c++) {
                int b = (r / br) * sc + c / bc;
                float x = row[c] / scale[b];
                byte q;
                if (fp8) {
                    q = RtnCodes.fp8Code(x, Fp8.E4M3FN);
                } else {
                    q = (byte) RtnCodes.intCode(zp != null ? x + zp[b] : x, (int) a.qmin(), (int) a.qmax());
                }
                codes.set(ValueLayout.JAVA_BYTE, (long) r * in + c, q);
            }
        }
        List<CtTensor> t = new ArrayList<>();
        if (scheme.format().equals("pack-quantized")) {
            t.add(new CtTensor(prefix + ".weight_packed", DType.I32, Shape.of(ceilDiv(in * a.numBits(), 32), out),
                    pack(codes, out, in, a.numBits())));
            t.add(new CtTensor(prefix + ".weight_scale", scaleType, Shape.of(sc, sr), floats(scaleType, scale)));
            MemorySegment shape = Arena.ofAuto().allocate(16);
            shape.set(I64, 0, out);
            shape.set(I64, 8, in);
            t.add(new CtTensor(prefix + ".weight_shape", DType.I64, Shape.of(2), shape));
            if (zp != null) {
                // packed along dim 0: [ceil(out·bits/32), groups]; word (o/8, g) holds zp[o][g] at bits 4·(o%8)
                MemorySegment zT = Arena.ofAuto().allocate((long) sr * sc);
                for (int g = 0; g < sc; g++) {
                    for (int o = 0; o < sr; o++) {
                        zT.set(ValueLayout.JAVA_BYTE, (long) g * sr + o, (byte) zp[o * sc + g]);
                    }
                }
                MemorySegment packedT = pack(zT, sc, sr, a.numBits()); // [groups, ceil(out·bits/32)]
                int words = ceilDiv(sr * a.numBits(), 32);
                MemorySegment packed = Arena.ofAuto().allocate((long) words * sc * 4);
                for (int g = 0; g < sc; g++) {
                    for (int k = 0; k < words; k++) {
                        packed.set(I32, ((long) k * sc + g) * 4, packedT.get(I32, ((long) g * words + k) * 4));
                    }
                }
                t.add(new CtTensor(prefix + ".weight_zero_point", DType.I32, Shape.of(sc, words), packed));
            }
        } else {
            t.add(new CtTensor(prefix + ".weight", fp8 ? DType.F8_E4M3 : DType.I8, Shape.of(in, out), codes));
            t.add(new CtTensor(prefix + ".weight_scale", scaleType, Shape.of(sc, sr), floats(scaleType, scale)));
        }
        return t;
    }

    /**
     * pack_to_int32 along the rows: value + 2^(bits−1) as unsigned, element j of a row at bit bits·j of the row's
     * bit string (LSB first), split across words where needed; ceil(cols·bits/32) words per row.
     */
    static MemorySegment pack(MemorySegment codes, int rows, int cols, int bits) {
        int words = ceilDiv(cols * bits, 32);
        MemorySegment out = Arena.ofAuto().allocate((long) rows * words * 4);
        int offset = 1 << (bits - 1);
        int mask = (1 << bits) - 1;
        for (int r = 0; r < rows; r++) {
            long base = (long) r * words * 4;
            for (int j = 0; j < cols; j++) {
                long v = (codes.get(ValueLayout.JAVA_BYTE, (long) r * cols + j) + offset) & mask;
                long bit = (long) j * bits;
                int word = (int) (bit / 32);
                int shift = (int) (bit % 32);
                long at = base + word * 4L;
                out.set(I32, at, out.get(I32, at) | (int) (v << shift));
                if (shift + bits > 32) {
                    out.set(I32, at + 4, out.get(I32, at + 4) | (int) (v >>> (32 - shift)));
                }
            }
        }
        return out;
    }

    private static MemorySegment floats(DType type, float[] v) {
        MemorySegment m = Arena.ofAuto().allocate((long) v.length * type.blockBytes());
        for (int i = 0; i < v.length; i++) {
            switch (type) {
                case F32 -> m.set(F32, 4L * i, v[i]);
                case F16 -> m.set(I16, 2L * i, Float.floatToFloat16(v[i]));
                case BF16 -> m.set(I16, 2L * i, (short) (bf16Bits(v[i]) >>> 16));
                default -> throw new IllegalArgumentException("scale type " + type);
            }
        }
        return m;
    }

    /** {@code v} rounded to {@code type} (RNE) and widened back. */
    static float roundTo(DType type, float v) {
        return switch (type) {
            case F32 -> v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            case BF16 -> Float.intBitsToFloat(bf16Bits(v));
            default -> throw new IllegalArgumentException("scale type " + type);
        };
    }

    private static int bf16Bits(float v) {
        int b = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (b | 0x0040_0000) & 0xFFFF_0000;
        }
        return (b + 0x7FFF + ((b >>> 16) & 1)) & 0xFFFF_0000;
    }

    /** torch.finfo(dtype).eps. */
    private static float eps(DType type) {
        return switch (type) {
            case F16 -> 0x1p-10f;
            case BF16 -> 0x1p-7f;
            default -> Math.ulp(1f);
        };
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
