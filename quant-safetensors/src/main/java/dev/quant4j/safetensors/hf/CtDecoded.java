package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Fp8;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.safetensors.io.SafetensorsReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * compressed-tensors checkpoints ({@code quantization_config.quant_method "compressed-tensors"}, as our writer and
 * llm-compressor write them) read as float weights: {@code P.weight} (I8 or F8_E4M3, formats int-quantized /
 * float-quantized) or {@code P.weight_packed} (I32, pack-quantized) with {@code P.weight_scale} (one per row, per
 * group of the row, or per block), {@code P.weight_zero_point} (pack-quantized asymmetric, packed along the output
 * dimension) and {@code P.weight_shape} become the F32 weight {@code P.weight}: (code − zero point) × scale, or
 * fp8(code) × scale. Decoded from the published layout alone (compressed-tensors 0.18.0 pack_to_int32 and the
 * naive/pack compressors), independently of the quantizers that write it; the scale, shape and zero-point tensors
 * are consumed. One config group (targets Linear) is supported.
 */
final class CtDecoded {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final List<String> AUX = List.of(".weight_scale", ".weight_zero_point", ".weight_shape");

    /** The weight args of the checkpoint's config group. */
    record Args(int bits, boolean fp8, boolean symmetric, int group, int blockRows, int blockCols) {
    }

    /** One compressed weight: its codes, scale and (asymmetric) zero-point tensors and its HF [out, in]. */
    record Weight(Args args, TensorInfo codes, TensorInfo scale, TensorInfo zeroPoint, int out, int in) {
        Shape shape() {
            return Shape.of(in, out);
        }
    }

    private CtDecoded() {
    }

    /** The weight args of a compressed-tensors config.json, or null when the checkpoint is not one. */
    static Args of(Path configFile, JsonValue.Obj config) throws CorruptFormatException {
        var q = config.object("quantization_config");
        if (q.isEmpty() || !q.get().string("quant_method").orElse("").equals("compressed-tensors")) {
            return null;
        }
        var groups = q.get().object("config_groups").orElse(null);
        if (groups == null || groups.members().size() != 1) {
            throw new CorruptFormatException(configFile, 0, "quantization_config.config_groups",
                    "exactly one config group is supported");
        }
        JsonValue.Obj w = ((JsonValue.Obj) groups.members().values().iterator().next()).object("weights")
                .orElseThrow(() -> new CorruptFormatException(configFile, 0, "quantization_config.config_groups",
                        "the group has no weights args"));
        int bits = w.integer("num_bits").orElse(0L).intValue();
        boolean fp8 = w.string("type").orElse("int").equals("float");
        String strategy = w.string("strategy").orElse("");
        int group = strategy.equals("group") ? w.integer("group_size").orElse(0L).intValue() : 0;
        int br = 0;
        int bc = 0;
        if (strategy.equals("block")) {
            var b = w.array("block_structure").map(JsonValue.Arr::values).orElse(List.of());
            br = b.size() == 2 && b.get(0) instanceof JsonValue.Num n ? n.asLong().orElse(0L).intValue() : 0;
            bc = b.size() == 2 && b.get(1) instanceof JsonValue.Num n ? n.asLong().orElse(0L).intValue() : 0;
        }
        boolean ok = (bits == 8 || bits == 4 && !fp8) && (strategy.equals("channel") || group > 0 || br > 0 && bc > 0);
        if (!ok) {
            throw new CorruptFormatException(configFile, 0, "quantization_config weights", "num_bits " + bits + ", type "
                    + (fp8 ? "float" : "int") + ", strategy " + strategy + " is not a supported compressed-tensors "
                    + "scheme (int8/fp8 channel, int4 group, fp8 block)");
        }
        return new Args(bits, fp8, w.bool("symmetric").orElse(true), group, br, bc);
    }

    /** True for a scale, zero-point or shape tensor of a compressed weight (consumed by its decoding). */
    static boolean isAux(String name, Map<String, TensorInfo> byName) {
        for (String s : AUX) {
            if (name.endsWith(s)) {
                String p = name.substring(0, name.length() - s.length());
                return byName.containsKey(p + ".weight") || byName.containsKey(p + ".weight_packed");
            }
        }
        return false;
    }

    /** The stored name the weight is listed under: {@code P.weight_packed} is the weight {@code P.weight}. */
    static String weightName(String name) {
        return name.endsWith(".weight_packed") ? name.substring(0, name.length() - "_packed".length()) : name;
    }

    /** The compressed weight stored as {@code s}, checked against its companions, or null when {@code s} is not one. */
    static Weight weight(Path file, TensorInfo s, Map<String, TensorInfo> byName, Args a, SafetensorsReader raw)
            throws CorruptFormatException {
        boolean packed = s.name().endsWith(".weight_packed");
        if (a == null || !packed && !(s.name().endsWith(".weight") && (s.type() == DType.I8 || s.type() == DType.F8_E4M3))) {
            return null;
        }
        String p = s.name().substring(0, s.name().lastIndexOf('.'));
        String where = "tensor '" + s.name() + "'";
        TensorInfo scale = byName.get(p + ".weight_scale");
        if (scale == null || s.shape().rank() != 2) {
            throw new CorruptFormatException(file, 0, where, "a compressed-tensors weight needs a 2-D weight and "
                    + p + ".weight_scale");
        }
        if (scale.type() != DType.F32 && scale.type() != DType.F16 && scale.type() != DType.BF16) {
            throw new CorruptFormatException(file, 0, "tensor '" + scale.name() + "'", "scales must be F32, F16 or BF16");
        }
        int out = Math.toIntExact(s.shape().ne(1));
        int in = Math.toIntExact(s.shape().ne(0));
        if (packed) {
            TensorInfo shape = byName.get(p + ".weight_shape");
            if (s.type() != DType.I32 || a.bits() != 4 || shape == null || shape.shape().elementCount() != 2
                    || shape.type() != DType.I64 && shape.type() != DType.I32) {
                throw new CorruptFormatException(file, 0, where, "pack-quantized needs an I32 weight_packed, 4-bit args "
                        + "and a 2-element weight_shape");
            }
            MemorySegment v = raw.view(shape).data();
            long o = shape.type() == DType.I64 ? v.get(I64, 0) : v.get(I32, 0);
            long i = shape.type() == DType.I64 ? v.get(I64, 8) : v.get(I32, 4);
            if (o != out || i < 1 || (i + 7) / 8 != in) {
                throw new CorruptFormatException(file, 0, "tensor '" + shape.name() + "'", "[" + o + ", " + i
                        + "] does not match weight_packed [" + out + ", " + in + "] (8 values per word)");
            }
            in = Math.toIntExact(i);
        } else if (a.bits() != 8) {
            throw new CorruptFormatException(file, 0, where, "an unpacked weight needs 8-bit args");
        }
        long[] want = scaleShape(a, out, in);
        if (scale.shape().rank() > 2 || scale.shape().ne(0) != want[1] || scale.shape().elementCount() != want[0] * want[1]) {
            throw new CorruptFormatException(file, 0, "tensor '" + scale.name() + "'", "shape " + scale.shape()
                    + " (ggml order); expected HF [" + want[0] + ", " + want[1] + "]");
        }
        TensorInfo zp = null;
        if (!a.symmetric()) {
            zp = byName.get(p + ".weight_zero_point");
            if (zp == null || !packed || zp.type() != DType.I32
                    || zp.shape().elementCount() != (want[0] + 7) / 8 * want[1]) {
                throw new CorruptFormatException(file, 0, where, "asymmetric args need a packed I32 weight_zero_point of "
                        + "HF shape [" + (want[0] + 7) / 8 + ", " + want[1] + "]");
            }
        }
        return new Weight(a, s, scale, zp, out, in);
    }

    /** HF [rows, cols] of weight_scale. */
    private static long[] scaleShape(Args a, int out, int in) {
        if (a.blockRows() > 0) {
            return new long[] {ceil(out, a.blockRows()), ceil(in, a.blockCols())};
        }
        return new long[] {out, a.group() == 0 ? 1 : ceil(in, a.group())};
    }

    private static long ceil(long n, long b) {
        return (n + b - 1) / b;
    }

    /** Decodes rows of one weight; scales and zero points are read once. */
    static final class Rows {
        private final Weight w;
        private final MemorySegment codes;
        private final float[] scales;
        private final long scaleCols;
        private final MemorySegment zp;

        Rows(Weight w, SafetensorsReader raw) {
            this.w = w;
            this.codes = raw.view(w.codes()).data();
            var sv = raw.view(w.scale());
            this.scales = new float[Math.toIntExact(w.scale().shape().elementCount())];
            sv.readRows(0, Math.toIntExact(sv.rows()), scales, 0);
            this.scaleCols = scaleShape(w.args(), w.out(), w.in())[1];
            this.zp = w.zeroPoint() == null ? null : raw.view(w.zeroPoint()).data();
        }

        /** HF row {@code r} as floats. */
        void decode(long r, float[] dst) {
            Args a = w.args();
            int in = w.in();
            for (int c = 0; c < in; c++) {
                int unitCol = a.blockCols() > 0 ? c / a.blockCols() : a.group() > 0 ? c / a.group() : 0;
                long unitRow = a.blockRows() > 0 ? r / a.blockRows() : r;
                float s = scales[Math.toIntExact(unitRow * scaleCols + unitCol)];
                float q;
                if (a.bits() == 4) {
                    int word = codes.get(I32, 4 * (r * ((in + 7) / 8) + c / 8));
                    q = ((word >>> (4 * (c % 8))) & 0xF) - 8;
                    if (zp != null) {
                        int zw = zp.get(I32, 4 * ((r / 8) * scaleCols + unitCol));
                        q -= ((zw >>> (4 * (r % 8))) & 0xF) - 8;
                    }
                } else {
                    byte b = codes.get(ValueLayout.JAVA_BYTE, r * in + c);
                    q = a.fp8() ? Fp8.decode(DType.F8_E4M3, b) : b;
                }
                dst[c] = q * s;
            }
        }
    }
}
