package dev.quant4j.safetensors.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.Quantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One Linear weight into its compressed-tensors tensors. The numerics and the bytes are the installed quantizer's
 * (quant-int's seed quantizers with {@code layout=compressed-tensors}, reached through the registry by
 * {@link CtScheme#quantizer}; or {@code gptq} in front of one): its encoding holds, row by row, the row's slice of
 * {@code weight}/{@code weight_packed}, then of {@code weight_scale}, then (asymmetric) the row's zero points as
 * signed bytes — or, for the block strategy, every code row then the scale grid. This class only cuts that
 * encoding into the tensors and packs the zero points along the output dimension as compressed-tensors does.
 */
public final class CtCompressor {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private CtCompressor() {
    }

    /**
     * Compresses {@code weight} (HF [out, in], ggml shape [in, out]) stored under {@code prefix + ".weight"} with
     * {@code quantizer}, which must write {@code scheme}'s layout with {@code scaleType} scales.
     */
    public static List<CtTensor> compress(String prefix, TensorView weight, CtScheme scheme, DType scaleType,
                                          Quantizer quantizer) {
        if (weight.shape().rank() != 2) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + weight.name() + "': compressed-tensors "
                    + scheme + " quantizes 2-D Linear weights; shape " + weight.shape());
        }
        int in = Math.toIntExact(weight.shape().ne(0));
        int out = Math.toIntExact(weight.shape().ne(1));
        QuantArgs a = scheme.weights();
        if (a.groupSize() != null && in % a.groupSize() != 0) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + weight.name() + "': row length "
                    + in + " is not a multiple of the group size " + a.groupSize() + " required by " + scheme);
        }
        MemorySegment enc = Arena.ofAuto().allocate(quantizer.encodedBytes(weight.name(), weight.shape()), 8);
        quantizer.quantize(weight, 0, out, null, enc);
        List<ModelLayout.TensorSlot> slots = layout(prefix, weight.shape(), scheme, scaleType);
        int sb = scaleType.blockBytes();
        List<CtTensor> t = new ArrayList<>();
        if (a.strategy().equals("block")) {
            long codes = (long) out * in;
            expect(weight, quantizer, enc.byteSize(), codes + slots.get(1).byteSize());
            t.add(tensor(slots.get(0), enc.asSlice(0, codes)));
            t.add(tensor(slots.get(1), enc.asSlice(codes)));
            return t;
        }
        boolean packed = scheme.format().equals("pack-quantized");
        long codeBytes = packed ? 4L * ceilDiv(in * a.numBits(), 32) : in;
        int groups = a.groupSize() == null ? 1 : in / a.groupSize();
        long rowBytes = codeBytes + (long) groups * sb + (a.symmetric() ? 0 : groups);
        expect(weight, quantizer, enc.byteSize(), rowBytes * out);
        MemorySegment codes = Arena.ofAuto().allocate(codeBytes * out, 8);
        MemorySegment scales = Arena.ofAuto().allocate((long) groups * sb * out, 8);
        MemorySegment zp = a.symmetric() ? null : Arena.ofAuto().allocate((long) groups * out);
        for (long r = 0; r < out; r++) {
            long at = r * rowBytes;
            MemorySegment.copy(enc, at, codes, r * codeBytes, codeBytes);
            MemorySegment.copy(enc, at + codeBytes, scales, r * groups * sb, (long) groups * sb);
            if (zp != null) { // transposed to [groups, out] for packing along the output dimension
                for (int g = 0; g < groups; g++) {
                    zp.set(ValueLayout.JAVA_BYTE, (long) g * out + r,
                            enc.get(ValueLayout.JAVA_BYTE, at + codeBytes + (long) groups * sb + g));
                }
            }
        }
        t.add(tensor(slots.get(0), codes));
        t.add(tensor(slots.get(1), scales));
        if (packed) {
            MemorySegment shape = Arena.ofAuto().allocate(16);
            shape.set(I64, 0, out);
            shape.set(I64, 8, in);
            t.add(tensor(slots.get(2), shape));
        }
        if (zp != null) {
            // [ceil(out·bits/32), groups]: word (o/8, g) holds zp[o][g] at bits 4·(o%8)
            MemorySegment packedT = pack(zp, groups, out, a.numBits()); // [groups, words]
            int words = ceilDiv(out * a.numBits(), 32);
            MemorySegment z = Arena.ofAuto().allocate((long) words * groups * 4);
            for (int g = 0; g < groups; g++) {
                for (int k = 0; k < words; k++) {
                    z.set(I32, ((long) k * groups + g) * 4, packedT.get(I32, ((long) g * words + k) * 4));
                }
            }
            t.add(tensor(slots.get(3), z));
        }
        return t;
    }

    private static CtTensor tensor(ModelLayout.TensorSlot slot, MemorySegment data) {
        if (data.byteSize() != slot.byteSize()) {
            throw new IllegalStateException("tensor '" + slot.name() + "': " + data.byteSize() + " bytes, "
                    + slot.byteSize() + " expected");
        }
        return new CtTensor(slot.name(), slot.type(), slot.shape(), data);
    }

    private static void expect(TensorView w, Quantizer q, long actual, long expected) {
        if (actual != expected) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + w.name() + "': quantizer "
                    + q.encoding().name() + " wrote " + actual + " bytes, the compressed-tensors layout needs "
                    + expected + "; it is not a compressed-tensors layout quantizer");
        }
    }

    /** The tensors {@link #compress} makes of a weight of this shape, without computing them (for sizing). */
    public static List<ModelLayout.TensorSlot> layout(String prefix, Shape shape, CtScheme scheme,
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
        List<ModelLayout.TensorSlot> t = new ArrayList<>();
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

    private static ModelLayout.TensorSlot slot(String name, DType type, Shape shape) {
        return new ModelLayout.TensorSlot(name, type, shape,
                dev.quant4j.api.tensor.TensorInfo.byteSize(type, shape));
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

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
