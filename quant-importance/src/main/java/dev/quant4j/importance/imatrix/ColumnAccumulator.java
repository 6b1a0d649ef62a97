package dev.quant4j.importance.imatrix;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;

/**
 * llama-imatrix's statistics of one dense weight: per input column the float32 sum of squared activations, and
 * the number of activation rows seen. Thread safe: batches for one tensor are added one at a time.
 */
final class ColumnAccumulator {
    private final String tensor;
    private final float[] sum2;
    private long count;

    ColumnAccumulator(String tensor, int columns) {
        this.tensor = tensor;
        this.sum2 = new float[columns];
    }

    synchronized void add(TensorView activations) {
        if (activations.rowLength() != sum2.length) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "activations for '" + tensor + "' have rows of "
                    + activations.rowLength() + " values, earlier batches had " + sum2.length
                    + "; each row must be one token's input to the weight");
        }
        float[] row = new float[sum2.length];
        for (long r = 0; r < activations.rows(); r++) {
            activations.readRow(r, row, 0);
            for (int j = 0; j < row.length; j++) {
                float x = row[j];
                if (!Float.isFinite(x)) {
                    throw new QuantException(ErrorCode.NON_FINITE_INPUT, "activations for '" + tensor + "': "
                            + x + " at row " + (count + r) + ", column " + j);
                }
                sum2[j] += x * x;
            }
        }
        count += activations.rows();
        for (int j = 0; j < sum2.length; j++) {
            if (!Float.isFinite(sum2[j])) {
                throw new QuantException(ErrorCode.NON_FINITE_INPUT, "the sum of squares of '" + tensor
                        + "' overflowed float32 at column " + j + " after " + count + " rows");
            }
        }
    }

    /** Mean squares {@code sum2 / count} in float32 (1 where nothing was seen, like llama-quantize). */
    synchronized TensorActivationStats stats() {
        float[] mean = new float[sum2.length];
        float n = count;
        for (int j = 0; j < mean.length; j++) {
            mean[j] = count > 0 ? sum2[j] / n : 1f;
        }
        return TensorActivationStats.of(tensor, mean.length, count, mean);
    }
}
