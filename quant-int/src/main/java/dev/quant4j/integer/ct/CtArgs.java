package dev.quant4j.integer.ct;

/**
 * The weight quantization of one compressed-tensors scheme (compressed-tensors 0.18.0 QuantizationArgs): integer
 * of {@code bits} bits or float8_e4m3fn, symmetric or with zero points, one scale per row (channel), per
 * {@code group} values of a row, or per {@code block × block} tile.
 *
 * @param fp8        float8_e4m3fn codes (else integers)
 * @param bits       8 or 4 (8 for FP8)
 * @param symmetric  no zero point
 * @param group      values per scale along a row; 0 = the whole row (strategy channel)
 * @param block      side of the square tiles sharing a scale (strategy block), 0 = none
 * @param scaleDtype dtype of the stored scales
 */
public record CtArgs(boolean fp8, int bits, boolean symmetric, int group, int block, ScaleDtype scaleDtype) {
    public CtArgs {
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("compressed-tensors layouts hold 8- or 4-bit codes, not " + bits);
        }
        if (fp8 && (bits != 8 || !symmetric)) {
            throw new IllegalArgumentException("FP8 is 8 bits and symmetric");
        }
        if (group < 0 || block < 0 || group > 0 && block > 0) {
            throw new IllegalArgumentException("give a group or a block size (or neither: per channel), got group "
                    + group + ", block " + block);
        }
        if (bits == 4 && group == 0) {
            throw new IllegalArgumentException("int4 codes need a group size (pack-quantized, e.g. 128)");
        }
        if (scaleDtype == null) {
            throw new IllegalArgumentException("scale-dtype must be one of f32, f16, bf16");
        }
    }

    /** Smallest code (compressed-tensors' full signed range: -128, -8). */
    int qmin() {
        return -(1 << (bits - 1));
    }

    int qmax() {
        return (1 << (bits - 1)) - 1;
    }

    /** Report name, e.g. {@code ct/int4-g128-sym} or {@code ct/fp8-block128/bf16}. */
    String label() {
        String kind = fp8 ? "fp8" : "int" + bits;
        String gran = block > 0 ? "block" + block : group > 0 ? "g" + group : "channel";
        String sym = fp8 ? "" : symmetric ? "-sym" : "-asym";
        return "ct/" + kind + "-" + gran + sym + (scaleDtype == ScaleDtype.F32 ? "" : "/" + scaleDtype.name().toLowerCase(java.util.Locale.ROOT));
    }
}
