package dev.quant4j.kernels.gptq;

/**
 * Rounds one block of columns of all rows the way the target type's own (RTN) quantizer does: quantize and
 * dequantize. GPTQ calls it when its sweep reaches the block's first column, on the error-updated weights.
 */
@FunctionalInterface
public interface BlockRounder {
    /**
     * @param block       {@code rows × width} values, row-major (read only)
     * @param rows        rows in the block
     * @param width       the block width (the quantizer's block size)
     * @param firstColumn the block's first column in the weight's original column order
     * @param out         receives the dequantized {@code rows × width} values
     */
    void round(float[] block, int rows, int width, int firstColumn, float[] out);
}
