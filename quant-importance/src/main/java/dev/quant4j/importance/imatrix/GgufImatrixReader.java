package dev.quant4j.importance.imatrix;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GGUF imatrix (imatrix.md section 2) from an opened container: entries are the pairs
 * {@code <name>.in_sum2} / {@code <name>.counts} (other tensors are ignored, as upstream does). The importance
 * of matrix e is {@code in_sum2[e] / round(counts[e])} in float32, or 1 where the count is 0 — what
 * llama-quantize hands its quantizers (imatrix.md section 4).
 */
final class GgufImatrixReader {
    private static final String SUMS = ".in_sum2";
    private static final String COUNTS = ".counts";

    private GgufImatrixReader() {
    }

    static CalibrationStats read(Path file, ModelReader reader) throws IOException {
        Metadata m = reader.metadata();
        long dataStart = reader.container().dataOffset();
        for (String key : List.of("imatrix.datasets", "imatrix.chunk_count", "imatrix.chunk_size")) {
            if (m.get(key).isEmpty()) {
                throw new CorruptFormatException(file, 0, key, "missing imatrix metadata: this GGUF is not an "
                        + "importance matrix (general.type = " + m.getString("general.type").orElse("absent") + ")");
            }
        }
        Map<String, TensorInfo> sums = new LinkedHashMap<>();
        Map<String, TensorInfo> counts = new LinkedHashMap<>();
        for (TensorInfo t : reader.tensors()) {
            if (t.name().endsWith(SUMS)) {
                sums.put(t.name().substring(0, t.name().length() - SUMS.length()), t);
            } else if (t.name().endsWith(COUNTS)) {
                counts.put(t.name().substring(0, t.name().length() - COUNTS.length()), t);
            }
        }
        for (String name : counts.keySet()) {
            if (!sums.containsKey(name)) {
                TensorInfo t = counts.get(name);
                throw new CorruptFormatException(file, dataStart + t.offset(), t.name(),
                        "entry '" + name + "' has counts but no " + name + SUMS);
            }
        }
        List<TensorActivationStats> entries = new ArrayList<>();
        for (var e : sums.entrySet()) {
            TensorInfo c = counts.get(e.getKey());
            if (c == null) {
                throw new CorruptFormatException(file, dataStart + e.getValue().offset(), e.getValue().name(),
                        "entry '" + e.getKey() + "' has sums but no " + e.getKey() + COUNTS);
            }
            entries.add(entry(file, reader, e.getKey(), e.getValue(), c, dataStart));
        }
        return CalibrationStats.of(file.toString(), entries).withProvenance(datasets(file, m), chunkCount(file, m));
    }

    private static TensorActivationStats entry(Path file, ModelReader reader, String name, TensorInfo sumsInfo,
                                               TensorInfo countsInfo, long dataStart) throws IOException {
        float[] sums = floats(file, reader, sumsInfo, dataStart);
        float[] counts = floats(file, reader, countsInfo, dataStart);
        if (sums.length % counts.length != 0) {
            throw new CorruptFormatException(file, dataStart + sumsInfo.offset(), sumsInfo.name(), sums.length
                    + " sums do not split into " + counts.length + " matrices (one count per matrix)");
        }
        int cols = sums.length / counts.length;
        float[] mean = new float[sums.length];
        long rows = 0;
        for (int e = 0; e < counts.length; e++) {
            long n = lround(counts[e]);
            float count = n;
            rows += Math.max(0, n);
            for (int i = 0; i < cols; i++) {
                mean[e * cols + i] = count > 0 ? sums[e * cols + i] / count : 1f;
            }
        }
        return TensorActivationStats.of(name, cols, rows, mean);
    }

    private static float[] floats(Path file, ModelReader reader, TensorInfo t, long dataStart) throws IOException {
        if (t.type() != DType.F32) {
            throw new CorruptFormatException(file, dataStart + t.offset(), t.name(), "type " + t.type().lowerName()
                    + ", an imatrix stores F32");
        }
        long n = t.shape().elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new CorruptFormatException(file, dataStart + t.offset(), t.name(), n + " values are too many");
        }
        TensorView v = reader.view(t);
        float[] out = new float[(int) n];
        int row = (int) v.rowLength();
        for (long r = 0; r < v.rows(); r++) {
            v.readRow(r, out, (int) (r * row));
        }
        return out;
    }

    /** C's lround: halves away from zero; non-finite or huge values give Long.MIN_VALUE (counted as none). */
    static long lround(float x) {
        if (!Float.isFinite(x) || Math.abs(x) >= 0x1p63f) {
            return Long.MIN_VALUE;
        }
        return (long) (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));
    }

    private static List<String> datasets(Path file, Metadata m) throws CorruptFormatException {
        MetaValue v = m.get("imatrix.datasets").orElseThrow();
        if (!(v instanceof MetaValue.Array a) || a.elementType() != dev.quant4j.api.tensor.MetaType.STRING) {
            throw new CorruptFormatException(file, 0, "imatrix.datasets", "is " + v.type().label()
                    + ", an array of strings expected");
        }
        return a.values().stream().map(s -> ((MetaValue.Text) s).value()).toList();
    }

    private static long chunkCount(Path file, Metadata m) throws CorruptFormatException {
        MetaValue v = m.get("imatrix.chunk_count").orElseThrow();
        if (!(v instanceof MetaValue.Int i)) {
            throw new CorruptFormatException(file, 0, "imatrix.chunk_count", "is " + v.type().label()
                    + ", an integer expected");
        }
        return Math.max(0, i.value());
    }
}
