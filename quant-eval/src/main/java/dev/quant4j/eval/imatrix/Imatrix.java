package dev.quant4j.eval.imatrix;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.kernels.SquareSums;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state of llama-imatrix's collector ({@code IMatrixCollector}, tools/imatrix/imatrix.cpp): per weight the float32
 * sums of squared inputs per column and the row counts (per expert for MoE weights), the datasets of merged files,
 * and the chunk counter. Accumulation order matches llama.cpp's (rows in order; for MoE, slot by slot and within
 * a slot token by token; each square rounded to float, then added: quant-kernels' {@link SquareSums}), so sums agree
 * to the float bit when the activations do. Not thread safe: the forward pass
 * reports matmuls one at a time (wrap with a lock otherwise).
 */
public final class Imatrix {
    /** std::sort on std::string: unsigned byte-wise order of the UTF-8 names. */
    static final Comparator<String> NAME_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final int chunkSize;
    private final TreeMap<String, ImatrixEntry> entries = new TreeMap<>(NAME_ORDER);
    private final List<String> datasets = new ArrayList<>();
    private String promptFile = "";
    private int lastChunk;

    /** @param chunkSize tokens per chunk ({@code -c}; llama-imatrix's {@code n_ctx / n_parallel}), default 512 */
    public Imatrix(int chunkSize) {
        if (chunkSize < 1) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "chunk size " + chunkSize + " must be positive");
        }
        this.chunkSize = chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Chunks processed: the largest count over all entries divided by the chunk size (llama's {@code m_last_chunk}). */
    public int chunkCount() {
        return lastChunk;
    }

    /** The calibration text as named on the command line ({@code -f}); empty when only combining files. */
    public void promptFile(String name) {
        this.promptFile = name == null ? "" : name;
    }

    public String promptFile() {
        return promptFile;
    }

    /** Datasets of the merged input files, in load order. */
    public List<String> loadedDatasets() {
        return Collections.unmodifiableList(datasets);
    }

    /** Entries by name in byte-wise order (copies). */
    public SortedMap<String, ImatrixEntry> entries() {
        TreeMap<String, ImatrixEntry> copy = new TreeMap<>(NAME_ORDER);
        entries.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    /** Read access for the writers without copying. */
    SortedMap<String, ImatrixEntry> view() {
        return Collections.unmodifiableSortedMap(entries);
    }

    /**
     * A dense matmul's input: {@code rows} rows of {@code cols} values from {@code x} (row-major). Adds x² per column
     * and {@code rows} to the entry's count(s). No filtering here (see {@link ImatrixCollector}).
     */
    public void addDense(String weight, float[] x, int rows, int cols) {
        checkRows(weight, x, (long) rows * cols);
        ImatrixEntry e = entries.get(weight);
        if (e != null && e.counts.length > 1 && allEqual(e.counts)) {
            e.counts = new long[] {e.counts[0]};   // llama.cpp keeps one count per dense weight
        }
        if (e == null) {
            e = new ImatrixEntry(new float[cols], new long[1]);
            entries.put(weight, e);
        } else if (e.sums.length != cols) {
            throw inconsistent(weight, e.sums.length, cols);
        }
        float[] acc = e.sums;
        SquareSums.add(x, 0, rows, cols, acc, 0);
        checkFinite(weight, acc, 0, acc.length);
        for (int i = 0; i < e.counts.length; i++) {
            e.counts[i] += rows;
            advance(e.counts[i]);
        }
    }

    /**
     * A mixture-of-experts matmul's input (ggml {@code mul_mat_id}): token t's slot s went to expert
     * {@code ids[t * nUsed + s]} with input row {@code x[((t * xSlots) + s % xSlots) * cols ..]} ({@code xSlots} is 1
     * when every slot sees the same input, as for gate/up, or {@code nUsed} for down). Adds x² to that expert's sums
     * and 1 to its count, slot by slot and token by token as llama-imatrix does.
     */
    public void addRouted(String weight, int nExpert, float[] x, int nTokens, int xSlots, int cols, int[] ids, int nUsed) {
        if (nExpert < 1 || nUsed < 1 || xSlots < 1 || ids.length < (long) nTokens * nUsed) {
            throw new IllegalArgumentException(weight + ": " + nExpert + " experts, " + nUsed + " used, " + xSlots
                    + " input slots, " + ids.length + " ids for " + nTokens + " tokens");
        }
        checkRows(weight, x, (long) nTokens * xSlots * cols);
        ImatrixEntry e = entries.get(weight);
        if (e != null && e.counts.length == 1 && nExpert > 1) {
            long c = e.counts[0];                   // broadcast a count loaded from a dense-shaped file
            e.counts = new long[nExpert];
            Arrays.fill(e.counts, c);
        }
        if (e == null) {
            e = new ImatrixEntry(new float[Math.multiplyExact(cols, nExpert)], new long[nExpert]);
            entries.put(weight, e);
        } else if (e.sums.length != (long) cols * nExpert) {
            throw inconsistent(weight, e.sums.length, (long) cols * nExpert);
        } else if (e.counts.length != nExpert) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "inconsistent expert count for '" + weight + "': "
                    + e.counts.length + " before, " + nExpert + " now");
        }
        boolean[] touched = new boolean[nExpert];
        for (int slot = 0; slot < nUsed; slot++) {
            for (int t = 0; t < nTokens; t++) {
                int ex = ids[t * nUsed + slot];
                if (ex < 0 || ex >= nExpert) {
                    throw new IllegalArgumentException(weight + ": expert id " + ex + " of token " + t + " is not in [0, "
                            + nExpert + ")");
                }
                int in = (t * xSlots + slot % xSlots) * cols;
                int acc = ex * cols;
                e.counts[ex]++;
                touched[ex] = true;
                SquareSums.add(x, in, 1, cols, e.sums, acc);
            }
        }
        for (int ex = 0; ex < nExpert; ex++) {
            if (touched[ex]) {
                checkFinite(weight, e.sums, ex * cols, cols);
            }
        }
        for (long c : e.counts) {
            advance(c);
        }
    }

    private void advance(long count) {
        long n = count / chunkSize;
        if (n > lastChunk) {
            lastChunk = (int) Math.min(n, Integer.MAX_VALUE);
        }
    }

    /**
     * Merges a loaded file as llama-imatrix's {@code --in-file} does: GGUF sums and counts are added (a single count
     * broadcast to per-expert counts); legacy values are multiplied back by the chunk size ({@code value * chunk_size}
     * added to the sums, {@code ncall * chunk_size} to every count). Datasets are appended; the chunk counter becomes
     * the largest count over all entries divided by the chunk size.
     */
    public void merge(ImatrixFile file) {
        for (var en : file.entries().entrySet()) {
            String name = en.getKey();
            ImatrixEntry in = en.getValue();
            ImatrixEntry e = entries.get(name);
            if (file.legacy()) {
                if (e == null) {
                    e = new ImatrixEntry(new float[in.sums.length], new long[1]);
                    entries.put(name, e);
                } else if (e.sums.length != in.sums.length) {
                    throw mismatch(name, "sums", in.sums.length, e.sums.length);
                }
                for (int j = 0; j < in.sums.length; j++) {
                    e.sums[j] += in.sums[j] * chunkSize;
                }
                for (int j = 0; j < e.counts.length; j++) {
                    e.counts[j] += in.counts[0] * chunkSize;
                }
            } else {
                if (e == null) {
                    e = new ImatrixEntry(new float[in.sums.length], new long[in.counts.length]);
                    entries.put(name, e);
                } else if (e.sums.length != in.sums.length) {
                    throw mismatch(name, "sums", in.sums.length, e.sums.length);
                }
                if (e.counts.length == 1 && in.counts.length > 1) {
                    long c = e.counts[0];
                    e.counts = new long[in.counts.length];
                    Arrays.fill(e.counts, c);
                } else if (e.counts.length != in.counts.length) {
                    throw mismatch(name, "counts", in.counts.length, e.counts.length);
                }
                for (int j = 0; j < in.sums.length; j++) {
                    e.sums[j] += in.sums[j];
                }
                for (int j = 0; j < in.counts.length; j++) {
                    e.counts[j] += in.counts[j];
                }
            }
        }
        datasets.addAll(file.datasets());
        long max = 0;
        for (ImatrixEntry e : entries.values()) {
            max = Math.max(max, e.maxCount());
        }
        lastChunk = (int) Math.min(max / chunkSize, Integer.MAX_VALUE);
    }

    /**
     * The importance llama-quantize derives from these statistics (spec/imatrix.md section 4): per matrix
     * {@code sum / count} in float32, or 1 where the count is 0 — for quantizing without writing a file first.
     */
    public CalibrationStats toCalibrationStats(String source) {
        List<TensorActivationStats> stats = new ArrayList<>();
        for (var en : entries.entrySet()) {
            ImatrixEntry e = en.getValue();
            int cols = e.columns();
            float[] mean = new float[e.sums.length];
            long rows = 0;
            for (int m = 0; m < e.counts.length; m++) {
                float count = e.counts[m];
                rows += e.counts[m];
                for (int j = 0; j < cols; j++) {
                    mean[m * cols + j] = e.counts[m] > 0 ? e.sums[m * cols + j] / count : 1f;
                }
            }
            stats.add(TensorActivationStats.of(en.getKey(), cols, rows, mean));
        }
        return CalibrationStats.of(source, stats).withProvenance(ggufDatasets(), lastChunk);
    }

    /** {@code imatrix.datasets} of a GGUF write: the merged files' datasets, then the prompt file if any. */
    List<String> ggufDatasets() {
        List<String> d = new ArrayList<>(datasets);
        if (!promptFile.isEmpty()) {
            d.add(promptFile);
        }
        return d;
    }

    /** The dataset of a .dat trailer: the prompt file, else the last merged dataset, else empty. */
    String datDataset() {
        if (!promptFile.isEmpty()) {
            return promptFile;
        }
        return datasets.isEmpty() ? "" : datasets.getLast();
    }

    private static boolean allEqual(long[] c) {
        for (long v : c) {
            if (v != c[0]) {
                return false;
            }
        }
        return true;
    }

    private static void checkRows(String weight, float[] x, long needed) {
        if (x.length < needed) {
            throw new IllegalArgumentException(weight + ": " + x.length + " activations, " + needed + " expected");
        }
    }

    private static void checkFinite(String weight, float[] v, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (!Float.isFinite(v[i])) {
                throw new QuantException(ErrorCode.NON_FINITE_INPUT, "non-finite sum of squared activations in '"
                        + weight + "' at value " + i + " (" + v[i] + "): the model produced non-finite or overflowing"
                        + " activations");
            }
        }
    }

    private static QuantException inconsistent(String weight, long before, long now) {
        return new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "inconsistent size for '" + weight + "': " + before
                + " values before, " + now + " now");
    }

    private static QuantException mismatch(String name, String what, long loaded, long have) {
        return new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "mismatched " + what + " size for '" + name + "': the file has "
                + loaded + ", earlier input " + have + " (the imatrix files are of different models)");
    }
}
