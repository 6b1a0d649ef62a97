package dev.quant4j.eval.imatrix;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An imatrix file as read, before it is merged (llama.cpp's {@code common_imatrix}). For a GGUF file the entries
 * hold the raw sums and counts (counts rounded with {@code lround}); for a legacy {@code .dat} they hold the stored
 * values and a single count, the entry's {@code ncall}, and {@link #legacy()} is true.
 *
 * @param entries    by weight name, in byte-wise order
 * @param datasets   {@code imatrix.datasets}, or the .dat trailer's dataset name
 * @param chunkCount {@code imatrix.chunk_count} or the .dat trailer's chunk count, 0 when absent
 * @param chunkSize  {@code imatrix.chunk_size}, 0 for .dat
 * @param legacy     whether the file was a legacy .dat
 */
public record ImatrixFile(SortedMap<String, ImatrixEntry> entries, List<String> datasets, long chunkCount,
                          long chunkSize, boolean legacy) {
    public ImatrixFile {
        TreeMap<String, ImatrixEntry> copy = new TreeMap<>(Imatrix.NAME_ORDER);
        entries.forEach((k, v) -> copy.put(k, v.copy()));
        entries = Collections.unmodifiableSortedMap(copy);
        datasets = List.copyOf(datasets);
    }
}
