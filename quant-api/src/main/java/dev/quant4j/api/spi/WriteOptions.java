package dev.quant4j.api.spi;

/**
 * How a writer splits its output: at most {@code maxShardBytes} bytes of tensor data or
 * {@code maxShardTensors} tensors per file; 0 means no limit (one file).
 */
public record WriteOptions(long maxShardBytes, int maxShardTensors) {
    public static final WriteOptions SINGLE_FILE = new WriteOptions(0, 0);

    public WriteOptions {
        if (maxShardBytes < 0 || maxShardTensors < 0) {
            throw new IllegalArgumentException("split limits must not be negative");
        }
    }

    public boolean splits() {
        return maxShardBytes > 0 || maxShardTensors > 0;
    }
}
