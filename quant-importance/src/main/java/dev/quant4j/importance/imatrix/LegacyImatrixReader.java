package dev.quant4j.importance.imatrix;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads llama.cpp's legacy binary imatrix ({@code .dat}, imatrix.md section 3). Every count and length is
 * checked against the bytes left before anything is allocated, so a hostile file fails with a
 * {@link CorruptFormatException} naming the offset and field instead of exhausting memory.
 *
 * <p>The importance of an entry is {@code values[i] / ncall} (or the values as stored when {@code ncall <= 0}),
 * divided in float32 as llama-quantize does. The format does not record how many matrices (experts) an entry
 * spans, so every entry is one slice of {@code nval} columns; a MoE entry holds {@code n_expert * n_in} values.
 */
final class LegacyImatrixReader {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment data;
    private long pos;

    private LegacyImatrixReader(Path file, MemorySegment data) {
        this.file = file;
        this.data = data;
    }

    static CalibrationStats read(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.size() == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new LegacyImatrixReader(file, seg).parse();
        }
    }

    /** Parses an in-memory copy; {@code file} only names it in errors. */
    static CalibrationStats read(Path file, byte[] bytes) throws IOException {
        return new LegacyImatrixReader(file, MemorySegment.ofArray(bytes)).parse();
    }

    private CalibrationStats parse() throws IOException {
        int nEntries = int32("n_entries");
        if (nEntries < 1) {
            throw corrupt(0, "n_entries", nEntries + " entries; an imatrix holds at least one");
        }
        // each entry takes at least 16 bytes: bounds the count before the loop
        if ((long) nEntries * 16 > remaining()) {
            throw corrupt(0, "n_entries", nEntries + " entries cannot fit in the " + data.byteSize() + "-byte file");
        }
        List<TensorActivationStats> entries = new ArrayList<>(nEntries);
        Set<String> names = new HashSet<>();
        for (int e = 0; e < nEntries; e++) {
            String field = "entry " + e;
            long at = pos;
            String name = string(field + " name_len", field + " name");
            if (!names.add(name)) {
                throw corrupt(at, field + " name", "entry '" + name + "' appears twice");
            }
            int ncall = int32(field + " ncall ('" + name + "')");
            long nvalAt = pos;
            int nval = int32(field + " nval ('" + name + "')");
            if (nval < 1) {
                throw corrupt(nvalAt, field + " nval", nval + " values for '" + name + "'; at least 1 expected");
            }
            if (4L * nval > remaining()) {
                throw corrupt(nvalAt, field + " nval", nval + " values for '" + name + "' need " + 4L * nval
                        + " bytes, only " + remaining() + " left");
            }
            float[] v = new float[nval];
            MemorySegment.copy(data, F32, pos, v, 0, nval);
            pos += 4L * nval;
            if (ncall > 0) {
                float calls = ncall;
                for (int i = 0; i < nval; i++) {
                    v[i] = v[i] / calls;
                }
            }
            entries.add(TensorActivationStats.of(name, nval, 0, v));
        }
        List<String> datasets = new ArrayList<>();
        long chunks = 0;
        if (remaining() > 0) {
            int lastChunk = int32("trailer last_chunk");
            chunks = Math.max(0, lastChunk);
            if (remaining() > 0) {
                String dataset = string("trailer dataset_len", "trailer dataset");
                if (!dataset.isEmpty()) {
                    datasets.add(dataset);
                }
            }
            if (remaining() > 0) {
                throw corrupt(pos, "end of file", remaining() + " unexpected bytes after the dataset name");
            }
        }
        return CalibrationStats.of(file.toString(), entries).withProvenance(datasets, chunks);
    }

    private long remaining() {
        return data.byteSize() - pos;
    }

    private int int32(String field) throws CorruptFormatException {
        if (remaining() < 4) {
            throw corrupt(pos, field, "file ends inside this 4-byte integer (" + remaining() + " bytes left)");
        }
        int v = data.get(I32, pos);
        pos += 4;
        return v;
    }

    /** An int32 length and that many bytes of UTF-8; like upstream, the name ends at a NUL byte. */
    private String string(String lengthField, String field) throws CorruptFormatException {
        long at = pos;
        int len = int32(lengthField);
        if (len < 0 || len > remaining()) {
            throw corrupt(at, lengthField, "length " + len + " with " + remaining() + " bytes left");
        }
        byte[] b = data.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, end)).toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw corrupt(pos, field, "not valid UTF-8");
        }
    }

    private CorruptFormatException corrupt(long offset, String field, String problem) {
        return new CorruptFormatException(file, offset, field, problem + " (legacy imatrix .dat)");
    }
}
