package dev.quant4j.safetensors.hf;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.nio.file.Path;
import java.util.Map;

/**
 * DeepSeek-style FP8 checkpoints ({@code quantization_config.quant_method "fp8"}): each F8 {@code X.weight} has an
 * {@code X.weight_scale_inv} of multipliers, one per {@code weight_block_size} block (e.g. 128 × 128 over HF's
 * [out, in]) — or, without a block size, one for the tensor or one per output row. The value is
 * {@code float(w) × scale} in float32, as convert_hf_to_gguf's {@code dequant_simple} computes it; the scale tensors
 * themselves are not part of the GGUF.
 */
final class Fp8Scales {
    private static final String SUFFIX = "_scale_inv";

    private final float[] scales;
    private final int blockRows;
    private final int blockCols;
    private final int scaleCols;

    private Fp8Scales(float[] scales, int blockRows, int blockCols, int scaleCols) {
        this.scales = scales;
        this.blockRows = blockRows;
        this.blockCols = blockCols;
        this.scaleCols = scaleCols;
    }

    /** {@code weight_block_size} [rows, cols] of an fp8 quantization_config, or null. */
    static int[] blockSize(Path configFile, JsonValue.Obj config) throws CorruptFormatException {
        var q = config.object("quantization_config");
        if (q.isEmpty() || !q.get().string("quant_method").orElse("").equals("fp8")) {
            return null;
        }
        var b = q.get().array("weight_block_size");
        if (b.isEmpty()) {
            return null;
        }
        var v = b.get().values();
        int[] out = new int[2];
        for (int i = 0; i < out.length; i++) {
            long x = i < v.size() && v.get(i) instanceof JsonValue.Num n ? n.asLong().orElse(0L) : 0;
            if (v.size() != 2 || x < 1 || x > 1 << 20) {
                throw new CorruptFormatException(configFile, 0, "quantization_config.weight_block_size",
                        "must be two positive integers, e.g. [128, 128]");
            }
            out[i] = (int) x;
        }
        return out;
    }

    /** True for a {@code X_scale_inv} whose {@code X} exists: consumed by X's dequantization. */
    static boolean isScaleOf(String name, Map<String, TensorInfo> byName) {
        return name.endsWith(SUFFIX) && byName.containsKey(name.substring(0, name.length() - SUFFIX.length()));
    }

    /** The checked scale tensor of an F8 weight, or null (no scale: a plain cast to F32, as convert does). */
    static TensorInfo scaleOf(Path file, TensorInfo w, Map<String, TensorInfo> byName, int[] block)
            throws CorruptFormatException {
        TensorInfo s = byName.get(w.name() + SUFFIX);
        if (s == null || !(w.type() == DType.F8_E4M3 || w.type() == DType.F8_E5M2)) {
            return null;
        }
        String where = "tensor '" + s.name() + "'";
        if (s.type() != DType.F32 && s.type() != DType.F16 && s.type() != DType.BF16) {
            throw new CorruptFormatException(file, 0, where, "a scale must be F32, F16 or BF16, not " + s.type().lowerName());
        }
        Shape ws = w.shape();
        long rows = ws.rank() <= 1 ? 1 : ws.rows();
        if (block != null && ws.rank() == 2) {
            long want0 = ceil(ws.ne(0), block[1]);
            long want1 = ceil(rows, block[0]);
            if (s.shape().elementCount() != want0 * want1 || s.shape().ne(0) != want0) {
                throw new CorruptFormatException(file, 0, where, "shape " + s.shape() + " does not give one scale per "
                        + block[0] + "×" + block[1] + " block of " + w.name() + " (HF shape [" + rows + ", " + ws.ne(0)
                        + "]): expected [" + want1 + ", " + want0 + "]");
            }
        } else if (s.shape().elementCount() != 1 && s.shape().elementCount() != rows) {
            throw new CorruptFormatException(file, 0, where, s.shape().elementCount() + " scales for " + rows
                    + " rows of " + w.name() + ": expected 1 or one per row (no weight_block_size in config.json)");
        }
        return s;
    }

    /** Reads the scales of {@code weight} (shape in ggml order). */
    static Fp8Scales read(TensorView scale, Shape weight, int[] block) {
        float[] all = new float[Math.toIntExact(scale.shape().elementCount())];
        scale.readRows(0, Math.toIntExact(scale.rows()), all, 0);
        long rows = weight.rank() <= 1 ? 1 : weight.rows();
        if (block != null && weight.rank() == 2) {
            return new Fp8Scales(all, block[0], block[1], Math.toIntExact(ceil(weight.ne(0), block[1])));
        }
        return all.length == 1 ? new Fp8Scales(all, Integer.MAX_VALUE, Integer.MAX_VALUE, 1)
                : new Fp8Scales(all, 1, Integer.MAX_VALUE, 1);
    }

    /** Multiplies row {@code row} (HF row = GGUF ne1 index) of decoded FP8 values by its blocks' scales. */
    void apply(long row, float[] v) {
        int base = Math.toIntExact(row / blockRows) * scaleCols;
        for (int c = 0; c < v.length; c++) {
            v[c] *= scales[base + c / blockCols];
        }
    }

    private static long ceil(long n, int b) {
        return (n + b - 1) / b;
    }
}
