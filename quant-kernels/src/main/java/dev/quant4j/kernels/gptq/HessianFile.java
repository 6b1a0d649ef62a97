package dev.quant4j.kernels.gptq;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * quant4j's GPTQ statistics file: one Hessian {@code H = (2/n) Σ x xᵀ} per linear weight (per expert for MoE).
 * Little-endian:
 * <pre>
 * "Q4JHES01"                        8 bytes magic (the version is in the magic)
 * model sha-256, text sha-256       32 + 32 bytes: what the statistics were computed from
 * context int32, chunks int32, tokens int64
 * entries, each:                    int32 name length (-1 ends the file), name UTF-8,
 *                                   int32 expert (-1 dense), int32 cols, int64 samples,
 *                                   float64[cols × cols] H row-major
 * </pre>
 * Written streaming one tensor at a time to {@code FILE.tmp} and renamed when complete; read through a memory
 * map, one Hessian at a time.
 */
public final class HessianFile implements AutoCloseable {
    private static final byte[] MAGIC = "Q4JHES01".getBytes(StandardCharsets.US_ASCII);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What a file was computed from: must match for it to be reused. */
    public record Header(byte[] modelHash, byte[] textHash, int context, int chunks, long tokens) {
        public Header {
            if (modelHash.length != 32 || textHash.length != 32) {
                throw new IllegalArgumentException("hashes are 32-byte sha-256 digests");
            }
            modelHash = modelHash.clone();
            textHash = textHash.clone();
        }

        @Override
        public byte[] modelHash() {
            return modelHash.clone();
        }

        @Override
        public byte[] textHash() {
            return textHash.clone();
        }

        /** Same model, text, context and chunk count (tokens follow from those). */
        public boolean sameInputs(Header o) {
            return Arrays.equals(modelHash, o.modelHash) && Arrays.equals(textHash, o.textHash)
                    && context == o.context && chunks == o.chunks;
        }

        @Override
        public String toString() {
            return "model " + HexFormat.of().formatHex(modelHash, 0, 8) + "…, text "
                    + HexFormat.of().formatHex(textHash, 0, 8) + "…, context " + context + ", " + chunks
                    + " chunks, " + tokens + " tokens";
        }
    }

    private record Entry(long offset, int cols, long samples) {
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment map;
    private final Header header;
    private final Map<String, Entry> entries;

    private HessianFile(Path path, Arena arena, MemorySegment map, Header header, Map<String, Entry> entries) {
        this.path = path;
        this.arena = arena;
        this.map = map;
        this.header = header;
        this.entries = entries;
    }

    private static String key(String tensor, int expert) {
        return expert < 0 ? tensor : tensor + "#" + expert;
    }

    /**
     * Opens and indexes {@code file}.
     *
     * @throws IOException naming the file and the offset when it is not a complete statistics file
     */
    public static HessianFile open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long size = m.byteSize();
            if (size < 8 + 64 + 16 || !Arrays.equals(m.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE), MAGIC)) {
                throw new IOException(file + ": not a quant4j Hessian file (magic Q4JHES01 expected at offset 0)");
            }
            Header h = new Header(m.asSlice(8, 32).toArray(ValueLayout.JAVA_BYTE),
                    m.asSlice(40, 32).toArray(ValueLayout.JAVA_BYTE), m.get(I32, 72), m.get(I32, 76), m.get(I64, 80));
            Map<String, Entry> idx = new LinkedHashMap<>();
            long off = 88;
            while (true) {
                need(file, off, 4, size);
                int len = m.get(I32, off);
                if (len == -1) {
                    break;
                }
                need(file, off, 4L + Math.max(0, len) + 16, size);
                if (len <= 0 || len > 4096) {
                    throw new IOException(file + ": tensor name length " + len + " at offset " + off);
                }
                String name = new String(m.asSlice(off + 4, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                long p = off + 4 + len;
                int expert = m.get(I32, p);
                int cols = m.get(I32, p + 4);
                long samples = m.get(I64, p + 8);
                if (cols <= 0 || cols > 1 << 17) {
                    throw new IOException(file + ": tensor '" + name + "' has " + cols + " columns at offset " + p);
                }
                long data = p + 16;
                long bytes = 8L * cols * cols;
                need(file, data, bytes, size);
                idx.put(key(name, expert), new Entry(data, cols, samples));
                off = data + bytes;
            }
            return new HessianFile(file, arena, m, h, idx);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static void need(Path file, long off, long bytes, long size) throws IOException {
        if (off + bytes > size) {
            throw new IOException(file + ": truncated at offset " + off + " (" + bytes + " bytes needed, file has "
                    + size + "); compute the statistics again");
        }
    }

    public Header header() {
        return header;
    }

    public Path path() {
        return path;
    }

    /** Keys present: tensor names, {@code name#expert} for experts. */
    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String tensor, int expert) {
        return entries.containsKey(key(tensor, expert));
    }

    /** The Hessian of {@code tensor} ({@code expert} -1 for dense weights), or null when the file has none. */
    public double[] hessian(String tensor, int expert) {
        Entry e = entries.get(key(tensor, expert));
        if (e == null) {
            return null;
        }
        double[] h = new double[e.cols * e.cols];
        MemorySegment.copy(map, F64, e.offset, h, 0, h.length);
        return h;
    }

    /** Samples (tokens) behind the Hessian of {@code tensor}, or 0. */
    public long samples(String tensor, int expert) {
        Entry e = entries.get(key(tensor, expert));
        return e == null ? 0 : e.samples;
    }

    @Override
    public void close() {
        arena.close();
    }

    /**
     * SHA-256 of a file's bytes, streamed: the model and text hashes of the header. For a directory (a Hugging Face
     * checkpoint) the SHA-256 of each regular file's name followed by its bytes, files sorted by name.
     */
    public static byte[] sha256(Path file) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        java.util.List<Path> files;
        if (Files.isDirectory(file)) { // a checkpoint directory: every regular file in it, by name
            try (java.util.stream.Stream<Path> s = Files.list(file)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = java.util.List.of(file);
        }
        for (Path f : files) {
            if (files.size() > 1 || !f.equals(file)) {
                md.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            try (java.io.InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
        }
        return md.digest();
    }

    /** Streams entries into {@code FILE.tmp}; {@link #commit} renames it to the final name. */
    public static final class Writer implements AutoCloseable {
        private final StagedFile file;

        public Writer(Path target, Header header) throws IOException {
            this.file = new StagedFile(target);
            file.write(StagedFile.buffer(88).put(MAGIC).put(header.modelHash()).put(header.textHash())
                    .putInt(header.context()).putInt(header.chunks()).putLong(header.tokens()).flip());
        }

        /** Appends one Hessian ({@code cols × cols}, row-major). */
        public void add(String tensor, int expert, int cols, long samples, double[] h) throws IOException {
            if (h.length != (long) cols * cols) {
                throw new IllegalArgumentException(h.length + " values for " + cols + "² entries");
            }
            byte[] name = tensor.getBytes(StandardCharsets.UTF_8);
            file.write(StagedFile.buffer(4 + name.length + 16).putInt(name.length).put(name).putInt(expert).putInt(cols)
                    .putLong(samples).flip());
            file.writeDoubles(h);
        }

        public void commit() throws IOException {
            file.commit(-1);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
