package dev.quant4j.api.spi;

import java.util.List;
import java.util.Map;

/**
 * How a writer splits its output: at most {@code maxShardBytes} bytes of tensor data or
 * {@code maxShardTensors} tensors per file (0: no limit), or exactly {@code shardTensorCounts} tensors per
 * file in order (llama-quantize's --keep-split: the input's shards). All zero and empty: one file.
 * {@code formatOptions} are settings only one format understands (e.g. compressed-tensors' {@code scheme});
 * formats ignore keys they do not know.
 *
 * @param sync   force the data to storage before the rename and the directory after it, and each tensor on
 *               {@link ModelWriter#force(int)} (off: leave write-back to the OS; a power loss may then leave a
 *               complete-looking file over lost data)
 * @param resume reuse temp files left by an interrupted run when their size matches the layout, and keep the
 *               temp files when the writer is closed without commit
 */
public record WriteOptions(long maxShardBytes, int maxShardTensors, List<Integer> shardTensorCounts,
                           Map<String, String> formatOptions, boolean sync, boolean resume) {
    public static final WriteOptions SINGLE_FILE = new WriteOptions(0, 0);

    public WriteOptions {
        if (maxShardBytes < 0 || maxShardTensors < 0) {
            throw new IllegalArgumentException("split limits must not be negative");
        }
        shardTensorCounts = List.copyOf(shardTensorCounts);
        formatOptions = Map.copyOf(formatOptions);
        if (!shardTensorCounts.isEmpty() && (maxShardBytes > 0 || maxShardTensors > 0)) {
            throw new IllegalArgumentException("give either split limits or explicit shard sizes, not both");
        }
        if (shardTensorCounts.stream().anyMatch(c -> c <= 0)) {
            throw new IllegalArgumentException("every shard holds at least one tensor: " + shardTensorCounts);
        }
    }

    public WriteOptions(long maxShardBytes, int maxShardTensors, List<Integer> shardTensorCounts) {
        this(maxShardBytes, maxShardTensors, shardTensorCounts, Map.of(), true, false);
    }

    public WriteOptions(long maxShardBytes, int maxShardTensors) {
        this(maxShardBytes, maxShardTensors, List.of());
    }

    /** One shard per entry, holding that many consecutive tensors. */
    public static WriteOptions shards(List<Integer> tensorCounts) {
        return new WriteOptions(0, 0, tensorCounts);
    }

    /** These options with {@code options} as the format options. */
    public WriteOptions withFormatOptions(Map<String, String> options) {
        return new WriteOptions(maxShardBytes, maxShardTensors, shardTensorCounts, options, sync, resume);
    }

    /** These options without format options (the splitting and durability only). */
    public WriteOptions splitting() {
        return new WriteOptions(maxShardBytes, maxShardTensors, shardTensorCounts, Map.of(), sync, resume);
    }

    public WriteOptions withSync(boolean s) {
        return new WriteOptions(maxShardBytes, maxShardTensors, shardTensorCounts, formatOptions, s, resume);
    }

    public WriteOptions withResume(boolean r) {
        return new WriteOptions(maxShardBytes, maxShardTensors, shardTensorCounts, formatOptions, sync, r);
    }

    public boolean splits() {
        return maxShardBytes > 0 || maxShardTensors > 0 || shardTensorCounts.size() > 1;
    }
}
