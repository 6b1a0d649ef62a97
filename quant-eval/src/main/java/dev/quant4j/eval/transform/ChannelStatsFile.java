package dev.quant4j.eval.transform;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.ChannelStat;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.kernels.gptq.HessianFile;
import dev.quant4j.kernels.gptq.StagedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * quant4j's transform calibration statistics file: per input, the statistics of {@link ChannelStats} exactly as the
 * transforms receive them (float32), shared by the weights that read that input. Little-endian:
 * <pre>
 * "Q4JCAL01"                        8 bytes magic (the version is in the magic)
 * model sha-256, text sha-256       32 + 32 bytes: what the statistics were computed from
 * context int32, chunks int32, tokens int64
 * statistics int32                  bits: 1 abs max, 2 mean squares, 4 second moments (every entry holds these)
 * entries, each:                    int32 reader count n (-1 ends the file), n × (int32 length, name UTF-8),
 *                                   int32 expert (-1 dense), int32 cols, int64 count,
 *                                   float32[cols] max |x|, float32[cols] mean x², [float32[cols²] mean x xᵀ]
 * </pre>
 * Written streaming one input at a time to {@code FILE.tmp} and renamed when complete; read through a memory map,
 * one entry at a time, so memory holds only the statistics a transform asks for.
 */
public final class ChannelStatsFile implements StatsSource, AutoCloseable {
    static final byte[] MAGIC = "Q4JCAL01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 92;
    private static final int MOMENTS_BIT = 4;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private record Entry(String owner, long offset, int cols, long count) {
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment map;
    private final HessianFile.Header header;
    private final Set<ChannelStat> statistics;
    private final Map<String, Entry> entries;
    private final Set<String> weights;

    private ChannelStatsFile(Path path, Arena arena, MemorySegment map, HessianFile.Header header,
                             Set<ChannelStat> statistics, Map<String, Entry> entries) {
        this.path = path;
        this.arena = arena;
        this.map = map;
        this.header = header;
        this.statistics = statistics;
        this.entries = entries;
        this.weights = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(entries.keySet()));
    }

    /** Whether {@code file} begins with this format's magic (so {@code --calibration} is statistics, not text). */
    public static boolean isStatisticsFile(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < MAGIC.length) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    private static String key(String weight, int expert) {
        return expert < 0 ? weight : ChannelStats.expertKey(weight, expert);
    }

    /**
     * Opens and indexes {@code file}.
     *
     * @throws CorruptFormatException naming the file, the offset and the field when it is not a complete file
     */
    public static ChannelStatsFile open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long size = m.byteSize();
            if (size < MAGIC.length || !Arrays.equals(m.asSlice(0, MAGIC.length).toArray(ValueLayout.JAVA_BYTE), MAGIC)) {
                throw new CorruptFormatException(file, 0, "magic", "not a quant4j calibration statistics file (Q4JCAL01)");
            }
            need(file, 0, HEADER, size, "header");
            HessianFile.Header h = new HessianFile.Header(m.asSlice(8, 32).toArray(ValueLayout.JAVA_BYTE),
                    m.asSlice(40, 32).toArray(ValueLayout.JAVA_BYTE), m.get(I32, 72), m.get(I32, 76), m.get(I64, 80));
            int bits = m.get(I32, 88);
            if ((bits & 3) != 3 || (bits & ~7) != 0) {
                throw new CorruptFormatException(file, 88, "statistics", "bits " + bits + " (1 max and 2 mean squares"
                        + " always, 4 second moments optionally)");
            }
            boolean moments = (bits & MOMENTS_BIT) != 0;
            Map<String, Entry> idx = new LinkedHashMap<>();
            long off = HEADER;
            while (true) {
                need(file, off, 4, size, "reader count");
                int n = m.get(I32, off);
                if (n == -1) {
                    break;
                }
                if (n < 1 || n > 64) {
                    throw new CorruptFormatException(file, off, "reader count", n + " (1 to 64 expected)");
                }
                long p = off + 4;
                String[] names = new String[n];
                for (int i = 0; i < n; i++) {
                    need(file, p, 4, size, "name length");
                    int len = m.get(I32, p);
                    if (len < 1 || len > 4096) {
                        throw new CorruptFormatException(file, p, "name length", len + " (1 to 4096 expected)");
                    }
                    need(file, p + 4, len, size, "name");
                    names[i] = new String(m.asSlice(p + 4, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                    p += 4 + len;
                }
                need(file, p, 16, size, "entry header of '" + names[0] + "'");
                int expert = m.get(I32, p);
                int cols = m.get(I32, p + 4);
                long count = m.get(I64, p + 8);
                if (expert < -1) {
                    throw new CorruptFormatException(file, p, "expert of '" + names[0] + "'", expert + " (-1 dense)");
                }
                if (cols < 1 || cols > (moments ? 46340 : 1 << 17)) { // cols² floats must fit one Java array
                    throw new CorruptFormatException(file, p + 4, "columns of '" + names[0] + "'", Integer.toString(cols));
                }
                if (count < 0) {
                    throw new CorruptFormatException(file, p + 8, "count of '" + names[0] + "'", Long.toString(count));
                }
                long data = p + 16;
                long bytes = 4L * (2L * cols + (moments ? (long) cols * cols : 0));
                need(file, data, bytes, size, "statistics of '" + names[0] + "'");
                Entry e = new Entry(names[0], data, cols, count);
                for (String name : names) {
                    if (idx.put(key(name, expert), e) != null) {
                        throw new CorruptFormatException(file, off, "entry", "'" + key(name, expert) + "' twice");
                    }
                }
                off = data + bytes;
            }
            Set<ChannelStat> stats = EnumSet.of(ChannelStat.ABS_MAX, ChannelStat.MEAN_SQUARES);
            if (moments) {
                stats.add(ChannelStat.SECOND_MOMENTS);
            }
            return new ChannelStatsFile(file, arena, m, h, Set.copyOf(stats), idx);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static void need(Path file, long off, long bytes, long size, String field) throws IOException {
        if (off + bytes > size) {
            throw new CorruptFormatException(file, off, field, "truncated (" + bytes + " bytes needed, the file ends at "
                    + size + "); collect the statistics again");
        }
    }

    public Path path() {
        return path;
    }

    /** What the statistics were computed from (model and text hashes, context, chunks, tokens). */
    public HessianFile.Header header() {
        return header;
    }

    /** The statistics every entry holds. */
    public Set<ChannelStat> statistics() {
        return statistics;
    }

    @Override
    public Set<String> weights() {
        return weights;
    }

    @Override
    public Optional<ChannelStats> get(String weight) {
        return get(weight, -1);
    }

    /** The statistics of {@code weight}'s input ({@code expert} -1 for a dense weight), read from the file now. */
    public Optional<ChannelStats> get(String weight, int expert) {
        Entry e = entries.get(key(weight, expert));
        if (e == null) {
            return Optional.empty();
        }
        int n = e.cols;
        float[] max = new float[n];
        float[] ms = new float[n];
        float[] mom = new float[statistics.contains(ChannelStat.SECOND_MOMENTS) ? n * n : 0];
        MemorySegment.copy(map, F32, e.offset, max, 0, n);
        MemorySegment.copy(map, F32, e.offset + 4L * n, ms, 0, n);
        MemorySegment.copy(map, F32, e.offset + 8L * n, mom, 0, mom.length);
        return Optional.of(new ChannelStats(e.owner, e.count, max, ms, mom));
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Streams entries into {@code FILE.tmp}; {@link #commit} renames it to the final name. */
    public static final class Writer implements AutoCloseable {
        private final StagedFile file;
        private final boolean moments;

        /** @param secondMoments every entry will carry second moments */
        public Writer(Path target, HessianFile.Header header, boolean secondMoments) throws IOException {
            this.file = new StagedFile(target);
            this.moments = secondMoments;
            file.write(StagedFile.buffer(HEADER).put(MAGIC).put(header.modelHash()).put(header.textHash())
                    .putInt(header.context()).putInt(header.chunks()).putLong(header.tokens())
                    .putInt(3 | (secondMoments ? MOMENTS_BIT : 0)).flip());
        }

        /** Appends the statistics of one input, read by {@code weights} ({@code expert} -1 for dense weights). */
        public void add(List<String> weights, int expert, ChannelStats st) throws IOException {
            if (st.hasSecondMoments() != moments) {
                throw new IllegalArgumentException("'" + st.tensor() + "': second moments " + st.hasSecondMoments()
                        + ", the file's " + moments);
            }
            List<byte[]> names = weights.stream().map(w -> w.getBytes(StandardCharsets.UTF_8)).toList();
            ByteBuffer head = StagedFile.buffer(4 + names.stream().mapToInt(n -> 4 + n.length).sum() + 16);
            head.putInt(names.size());
            names.forEach(n -> head.putInt(n.length).put(n));
            file.write(head.putInt(expert).putInt(st.columns()).putLong(st.count()).flip());
            file.writeFloats(st.absMax());
            file.writeFloats(st.meanSquares());
            if (moments) {
                file.writeFloats(st.secondMoments());
            }
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
