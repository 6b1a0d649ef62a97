package dev.quant4j.eval.imatrix;

import dev.quant4j.api.error.CorruptFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * llama-imatrix's legacy binary format ({@code --output-format dat}; spec/imatrix.md section 3), little-endian:
 * int32 n_entries; per entry (byte-wise name order) int32 name length, the name, int32 ncall, int32 nval, nval
 * float32 values; then int32 chunk count and int32 length + the dataset name. Values are
 * {@code (sum / count) * ncall} with {@code ncall = ceil(max count / chunk size)} (1 * ncall for a matrix with count
 * 0); entries whose counts are all zero are left out.
 */
public final class ImatrixDat {
    private ImatrixDat() {
    }

    /** Writes {@code imatrix} to {@code file} through {@code file.tmp} (renamed when complete). */
    public static void write(Imatrix imatrix, Path file) throws IOException {
        AtomicFile.write(file, out -> write(imatrix, out));
    }

    static void write(Imatrix imatrix, OutputStream out) throws IOException {
        List<Map.Entry<String, ImatrixEntry>> stored = new ArrayList<>();
        for (var e : imatrix.view().entrySet()) {
            if (e.getValue().maxCount() > 0) {
                stored.add(e);
            }
        }
        long chunkSize = imatrix.chunkSize();
        out.write(int32(stored.size()));
        for (var en : stored) {
            ImatrixEntry e = en.getValue();
            byte[] name = en.getKey().getBytes(StandardCharsets.UTF_8);
            out.write(int32(name.length));
            out.write(name);
            int ncall = (int) ((e.maxCount() + chunkSize - 1) / chunkSize);
            int nval = e.sums.length;
            int cols = e.columns();
            out.write(int32(ncall));
            out.write(int32(nval));
            ByteBuffer values = ByteBuffer.allocate(4 * nval).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < nval; i++) {
                float count = (float) e.counts[i / cols];
                float value = e.sums[i];
                if (count == 0f) {
                    value = 1f;
                    count = 1f;
                }
                values.putFloat((value / count) * (float) ncall);
            }
            out.write(values.array());
        }
        out.write(int32(imatrix.chunkCount()));
        byte[] dataset = imatrix.datDataset().getBytes(StandardCharsets.UTF_8);
        out.write(int32(dataset.length));
        out.write(dataset);
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /**
     * Reads a legacy file as llama.cpp's loader does: the values as stored with ncall as the single count, and the
     * optional trailer. Every length is checked against the bytes left, so a hostile file fails naming the offset.
     */
    public static ImatrixFile read(Path file) throws IOException {
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE - 8) {
                throw new CorruptFormatException(file, 0, "size", ch.size() + " bytes is too large for a legacy imatrix");
            }
            bytes = Files.readAllBytes(file);
        }
        return new Parser(file, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)).parse();
    }

    private static final class Parser {
        private final Path file;
        private final ByteBuffer b;

        Parser(Path file, ByteBuffer b) {
            this.file = file;
            this.b = b;
        }

        ImatrixFile parse() throws CorruptFormatException {
            int n = int32("n_entries");
            if (n < 1 || 16L * n > b.remaining()) {
                throw corrupt(0, "n_entries", n + " entries in a " + b.capacity() + "-byte file (no data, or not an imatrix)");
            }
            TreeMap<String, ImatrixEntry> entries = new TreeMap<>(Imatrix.NAME_ORDER);
            for (int i = 0; i < n; i++) {
                int at = b.position();
                String name = string("entry " + i + " name");
                int ncall = int32("entry " + i + " ncall");
                int nvalAt = b.position();
                int nval = int32("entry " + i + " nval");
                if (nval < 1 || 4L * nval > b.remaining()) {
                    throw corrupt(nvalAt, "entry " + i + " nval", nval + " values for '" + name + "' with "
                            + b.remaining() + " bytes left");
                }
                float[] v = new float[nval];
                b.asFloatBuffer().get(v);
                b.position(b.position() + 4 * nval);
                if (entries.put(name, new ImatrixEntry(v, new long[] {ncall})) != null) {
                    throw corrupt(at, "entry " + i + " name", "entry '" + name + "' appears twice");
                }
            }
            long chunks = 0;
            List<String> datasets = new ArrayList<>();
            if (b.hasRemaining()) {
                chunks = int32("trailer chunk count");
                if (b.hasRemaining()) {
                    int lenAt = b.position();
                    int len = int32("trailer dataset length");
                    if (len > b.remaining()) {
                        throw corrupt(lenAt, "trailer dataset length", len + " bytes with " + b.remaining() + " left");
                    }
                    if (len > 0) {
                        datasets.add(cString(len));
                    }
                }
            }
            return new ImatrixFile(entries, datasets, Math.max(0, chunks), 0, true);
        }

        private int int32(String field) throws CorruptFormatException {
            if (b.remaining() < 4) {
                throw corrupt(b.position(), field, "file ends inside this 4-byte integer");
            }
            return b.getInt();
        }

        private String string(String field) throws CorruptFormatException {
            int at = b.position();
            int len = int32(field + " length");
            if (len < 0 || len > b.remaining()) {
                throw corrupt(at, field + " length", len + " bytes with " + b.remaining() + " left");
            }
            return cString(len);
        }

        /** {@code len} bytes read as a C string: up to the first NUL, like upstream. */
        private String cString(int len) {
            byte[] s = new byte[len];
            b.get(s);
            int end = 0;
            while (end < len && s[end] != 0) {
                end++;
            }
            return new String(s, 0, end, StandardCharsets.UTF_8);
        }

        private CorruptFormatException corrupt(long offset, String field, String problem) {
            return new CorruptFormatException(file, offset, field, problem + " (legacy imatrix .dat)");
        }
    }
}
