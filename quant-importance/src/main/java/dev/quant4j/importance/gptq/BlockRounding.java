package dev.quant4j.importance.gptq;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.gptq.BlockRounder;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** GPTQ's block rounding done by a type's own quantizer: quantize the block's columns of all rows, dequantize. */
public final class BlockRounding {
    private BlockRounding() {
    }

    /**
     * A rounder through {@code quantizer} (row-independent, dequantizing) for tensor {@code name}.
     *
     * @param importance the rows' per-column importance (whole row; each block gets its slice), or null
     */
    public static BlockRounder through(Quantizer quantizer, String name, float[] importance) {
        return (block, rows, width, firstColumn, out) -> {
            Shape shape = Shape.of(width, rows);
            float[] sliceImp = importance == null ? null
                    : Arrays.copyOfRange(importance, firstColumn, firstColumn + width);
            MemorySegment bytes = MemorySegment.ofArray(new byte[Math.toIntExact(quantizer.encodedBytes(name, shape))]);
            quantizer.quantize(TensorView.ofFloats(name, shape, block), 0, rows, sliceImp, bytes);
            quantizer.dequantize(bytes, shape, 0, rows, out);
        };
    }
}
