package dev.quant4j.eval.imatrix;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * llama-imatrix's GGUF format (spec/imatrix.md section 2), read and written through the registry's {@code gguf}
 * format: metadata {@code general.type = imatrix}, {@code imatrix.datasets} (array of strings),
 * {@code imatrix.chunk_count}, {@code imatrix.chunk_size} (uint32), in that order; for every entry in byte-wise name
 * order the F32 tensors {@code NAME.in_sum2} {@code [cols, n_mat]} (raw sums) and {@code NAME.counts}
 * {@code [1, n_mat]}, trailing dimensions of 1 dropped as ggml does.
 */
public final class ImatrixGguf {
    static final String SUMS = ".in_sum2";
    static final String COUNTS = ".counts";
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ImatrixGguf() {
    }

    /** The layout llama-imatrix writes for {@code imatrix}. */
    static ModelLayout layout(Imatrix imatrix) {
        return layout(imatrix, imatrix.ggufDatasets(), List.of());
    }

    /** The layout with the given datasets and extra metadata after llama-imatrix's four keys. */
    static ModelLayout layout(Imatrix imatrix, List<String> datasetNames, List<Metadata.Entry> extra) {
        List<MetaValue> datasets = datasetNames.stream().map(s -> (MetaValue) new MetaValue.Text(s)).toList();
        List<Metadata.Entry> keys = new ArrayList<>(List.of(
                new Metadata.Entry("general.type", new MetaValue.Text("imatrix")),
                new Metadata.Entry("imatrix.datasets", new MetaValue.Array(MetaType.STRING, datasets)),
                new Metadata.Entry("imatrix.chunk_count", MetaValue.u32(imatrix.chunkCount())),
                new Metadata.Entry("imatrix.chunk_size", MetaValue.u32(imatrix.chunkSize()))));
        keys.addAll(extra);
        Metadata md = new Metadata(keys);
        List<ModelLayout.TensorSlot> slots = new ArrayList<>();
        for (var en : imatrix.view().entrySet()) {
            ImatrixEntry e = en.getValue();
            int nmat = e.matrices();
            Shape sums = nmat == 1 ? Shape.of(e.columns()) : Shape.of(e.columns(), nmat);
            Shape counts = nmat == 1 ? Shape.of(1) : Shape.of(1, nmat);
            slots.add(new ModelLayout.TensorSlot(en.getKey() + SUMS, DType.F32, sums, 4L * e.sums.length));
            slots.add(new ModelLayout.TensorSlot(en.getKey() + COUNTS, DType.F32, counts, 4L * nmat));
        }
        return new ModelLayout(md, slots);
    }

    /** Writes {@code imatrix} to {@code file} with {@code gguf} (the writer stages in {@code file.tmp}). */
    public static void write(Imatrix imatrix, Path file, FormatProvider gguf) throws IOException {
        write(imatrix, layout(imatrix), file, gguf);
    }

    static void write(Imatrix imatrix, ModelLayout layout, Path file, FormatProvider gguf) throws IOException {
        try (ModelWriter w = gguf.create(file, layout, WriteOptions.SINGLE_FILE)) {
            int i = 0;
            for (ImatrixEntry e : imatrix.view().values()) {
                w.write(i++, 0, MemorySegment.ofArray(littleEndian(e.sums)));
                float[] counts = new float[e.counts.length];
                for (int j = 0; j < counts.length; j++) {
                    counts[j] = (float) e.counts[j];
                }
                w.write(i++, 0, MemorySegment.ofArray(littleEndian(counts)));
            }
            w.commit();
        }
    }

    private static byte[] littleEndian(float[] v) {
        byte[] b = new byte[4 * v.length];
        MemorySegment.copy(v, 0, MemorySegment.ofArray(b), F32, 0, v.length);
        return b;
    }

    /**
     * Reads an opened GGUF imatrix as llama.cpp's loader does: pairs {@code NAME.in_sum2} / {@code NAME.counts}
     * (other tensors ignored), counts rounded with {@code lround}, the three {@code imatrix.*} keys when present.
     */
    public static ImatrixFile read(ModelReader reader) throws IOException {
        Path file = reader.path();
        long dataStart = reader.container().dataOffset();
        if (reader.tensors().isEmpty()) {
            throw new CorruptFormatException(file, 0, "tensors", "no data: the GGUF file holds no tensors");
        }
        Map<String, TensorInfo[]> pairs = new TreeMap<>(Imatrix.NAME_ORDER);
        for (TensorInfo t : reader.tensors()) {
            String n = t.name();
            if (n.endsWith(SUMS) && n.length() > SUMS.length()) {
                pairs.computeIfAbsent(n.substring(0, n.length() - SUMS.length()), k -> new TensorInfo[2])[0] = t;
            } else if (n.endsWith(COUNTS) && n.length() > COUNTS.length()) {
                pairs.computeIfAbsent(n.substring(0, n.length() - COUNTS.length()), k -> new TensorInfo[2])[1] = t;
            }
        }
        TreeMap<String, ImatrixEntry> entries = new TreeMap<>(Imatrix.NAME_ORDER);
        for (var p : pairs.entrySet()) {
            TensorInfo s = p.getValue()[0];
            TensorInfo c = p.getValue()[1];
            if (s == null || c == null) {
                TensorInfo present = s == null ? c : s;
                throw new CorruptFormatException(file, dataStart + present.offset(), present.name(),
                        "mismatched sums and counts for '" + p.getKey() + "': " + (s == null ? SUMS : COUNTS) + " is missing");
            }
            float[] sums = floats(reader, s, dataStart);
            float[] countValues = floats(reader, c, dataStart);
            long[] counts = new long[countValues.length];
            for (int j = 0; j < counts.length; j++) {
                counts[j] = lround(countValues[j]);
            }
            if (counts.length == 0 || sums.length % counts.length != 0) {
                throw new CorruptFormatException(file, dataStart + s.offset(), s.name(), sums.length
                        + " sums do not split into " + counts.length + " matrices");
            }
            entries.put(p.getKey(), new ImatrixEntry(sums, counts));
        }
        Metadata m = reader.metadata();
        List<String> datasets = new ArrayList<>();
        if (m.get("imatrix.datasets").orElse(null) instanceof MetaValue.Array a && a.elementType() == MetaType.STRING) {
            a.values().forEach(v -> datasets.add(((MetaValue.Text) v).value()));
        }
        return new ImatrixFile(entries, datasets, m.getLong("imatrix.chunk_count").orElse(0L),
                m.getLong("imatrix.chunk_size").orElse(0L), false);
    }

    private static float[] floats(ModelReader reader, TensorInfo t, long dataStart) throws IOException {
        if (t.type() != DType.F32) {
            throw new CorruptFormatException(reader.path(), dataStart + t.offset(), t.name(),
                    "type " + t.type().lowerName() + "; sums and counts must be F32");
        }
        long n = t.shape().elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new CorruptFormatException(reader.path(), dataStart + t.offset(), t.name(), n + " values are too many");
        }
        TensorView v = reader.view(t);
        float[] out = new float[(int) n];
        v.readRows(0, Math.toIntExact(v.rows()), out, 0);
        return out;
    }

    /** C's {@code lround}: halves away from zero. */
    static long lround(float x) {
        if (!Float.isFinite(x)) {
            return 0;
        }
        return (long) (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));
    }
}
