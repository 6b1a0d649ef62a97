package dev.quant4j.eval.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.ChannelStat;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.kernels.gptq.HessianFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Q4JCAL01 statistics file: round trip, and truncated or hostile files refused naming the file and offset. */
class ChannelStatsFileTest {
    @TempDir
    Path dir;

    private static final byte[] MODEL = filled(1);
    private static final byte[] TEXT = filled(2);

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private static ChannelStats stats(String name, int cols, boolean moments, float seed) {
        float[] max = new float[cols];
        float[] ms = new float[cols];
        float[] sm = new float[moments ? cols * cols : 0];
        for (int j = 0; j < cols; j++) {
            max[j] = seed + j;
            ms[j] = seed * j + 0.25f;
        }
        for (int i = 0; i < sm.length; i++) {
            sm[i] = seed - i / 7f;
        }
        return new ChannelStats(name, 42, max, ms, sm);
    }

    /** Two inputs: q/k/v sharing one (3 columns), ffn_down (2 columns); an expert entry of a MoE weight. */
    private Path write(boolean moments) throws Exception {
        Path f = dir.resolve(moments ? "m.q4jcal" : "s.q4jcal");
        try (ChannelStatsFile.Writer w = new ChannelStatsFile.Writer(f, new HessianFile.Header(MODEL, TEXT, 64, 3, 192),
                moments)) {
            w.add(List.of("blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_v.weight"), -1,
                    stats("blk.0.attn_q.weight", 3, moments, 1));
            w.add(List.of("blk.0.ffn_down.weight"), -1, stats("blk.0.ffn_down.weight", 2, moments, 5));
            w.add(List.of("blk.0.ffn_down_exps.weight"), 7, stats("blk.0.ffn_down_exps.weight", 2, moments, 9));
            assertTrue(Files.exists(f.resolveSibling(f.getFileName() + ".tmp")), "written as FILE.tmp first");
            assertFalse(Files.exists(f));
            w.commit();
        }
        return f;
    }

    @Test
    void roundTripsEveryStatisticPerInputAndExpert() throws Exception {
        Path f = write(true);
        assertTrue(ChannelStatsFile.isStatisticsFile(f));
        try (ChannelStatsFile s = ChannelStatsFile.open(f)) {
            assertArrayEquals(MODEL, s.header().modelHash());
            assertArrayEquals(TEXT, s.header().textHash());
            assertEquals(64, s.header().context());
            assertEquals(192, s.header().tokens());
            assertEquals(Set.of(ChannelStat.ABS_MAX, ChannelStat.MEAN_SQUARES, ChannelStat.SECOND_MOMENTS), s.statistics());
            assertEquals(List.of("blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_v.weight",
                    "blk.0.ffn_down.weight", "blk.0.ffn_down_exps.weight#7"), List.copyOf(s.weights()));
            ChannelStats want = stats("blk.0.attn_q.weight", 3, true, 1);
            for (String w : List.of("blk.0.attn_q.weight", "blk.0.attn_v.weight")) {
                ChannelStats got = s.get(w).orElseThrow();
                assertEquals("blk.0.attn_q.weight", got.tensor());
                assertEquals(42, got.count());
                assertArrayEquals(want.absMax(), got.absMax());
                assertArrayEquals(want.meanSquares(), got.meanSquares());
                assertArrayEquals(want.secondMoments(), got.secondMoments());
            }
            assertArrayEquals(stats("x", 2, true, 9).secondMoments(),
                    s.get("blk.0.ffn_down_exps.weight", 7).orElseThrow().secondMoments());
            assertTrue(s.get("blk.0.ffn_down_exps.weight", -1).isEmpty(), "the expert entry is not the dense one");
            assertTrue(s.get("blk.9.attn_q.weight").isEmpty());
        }
        try (ChannelStatsFile s = ChannelStatsFile.open(write(false))) {
            assertEquals(Set.of(ChannelStat.ABS_MAX, ChannelStat.MEAN_SQUARES), s.statistics());
            assertFalse(s.get("blk.0.ffn_down.weight").orElseThrow().hasSecondMoments());
        }
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "Q4JCAL0 is not the magic");
        assertFalse(ChannelStatsFile.isStatisticsFile(text));
    }

    @Test
    void truncatedFilesAreRefusedAtTheOffsetWhereTheyEnd() throws Exception {
        byte[] full = Files.readAllBytes(write(true));
        // by hand: header 92 bytes; entry 1 at 92: count 4, names 4+19 ×3, expert/cols/count 16, data 4 × (6 + 9)
        int entry1 = 92;
        int head1 = entry1 + 4 + 3 * (4 + 19);
        int data1 = head1 + 16;
        int entry2 = data1 + 4 * (2 * 3 + 9);
        int end = full.length - 4;
        int[][] cuts = { // {file length, offset named}
            {50, 0}, {entry1 + 2, entry1}, {entry1 + 10, entry1 + 4 + 4}, {head1 + 8, head1}, {data1 + 5, data1},
            {entry2 + 3, entry2}, {end, end}, {end + 3, end}};
        for (int[] cut : cuts) {
            Path t = dir.resolve("cut" + cut[0]);
            Files.write(t, Arrays.copyOf(full, cut[0]));
            var e = assertThrows(CorruptFormatException.class, () -> ChannelStatsFile.open(t).close(), "cut at " + cut[0]);
            assertEquals(cut[1], e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains(t.toString()) && e.getMessage().contains("byte " + cut[1])
                    && (cut[0] == 50 || e.getMessage().contains("truncated")), e.getMessage());
        }
    }

    @Test
    void hostileFieldsAreRefusedByName() throws Exception {
        byte[] full = Files.readAllBytes(write(true));
        int head1 = 92 + 4 + 3 * (4 + 19);
        refused(full, b -> b.put(0, (byte) 'X'), 0, "magic");
        refused(full, b -> b.putInt(88, 8 | 3), 88, "statistics");
        refused(full, b -> b.putInt(88, 4), 88, "statistics");
        refused(full, b -> b.putInt(92, -7), 92, "reader count");
        refused(full, b -> b.putInt(92, 100_000), 92, "reader count");
        refused(full, b -> b.putInt(96, 0), 96, "name length");
        refused(full, b -> b.putInt(96, Integer.MAX_VALUE), 96, "name length");
        refused(full, b -> b.putInt(head1, -2), head1, "expert");
        refused(full, b -> b.putInt(head1 + 4, 1 << 20), head1 + 4, "columns");
        refused(full, b -> b.putInt(head1 + 4, -3), head1 + 4, "columns");
        refused(full, b -> b.putLong(head1 + 8, -1), head1 + 8, "count");
        // attn_k's name made attn_q's: one name twice
        refused(full, b -> b.put(92 + 4 + 23 + 4 + 11, (byte) 'q'), 92, "twice");
    }

    private void refused(byte[] full, Consumer<ByteBuffer> damage, long offset, String field) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(full.clone()).order(ByteOrder.LITTLE_ENDIAN);
        damage.accept(b);
        Path t = dir.resolve("bad.q4jcal");
        Files.write(t, b.array());
        var e = assertThrows(CorruptFormatException.class, () -> ChannelStatsFile.open(t).close(), field);
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(t.toString()) && e.getMessage().contains(field), e.getMessage());
    }
}
