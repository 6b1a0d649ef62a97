package dev.quant4j.importance.imatrix;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorActivationStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile importance matrices. Jazzer targets: {@link #legacy} feeds arbitrary bytes to the legacy {@code .dat}
 * reader; {@link #ggufSemantics} builds GGUF imatrix containers whose entries have arbitrary names, shapes,
 * types, counts and metadata (the container parsing itself is GgufFuzzTest's). Either the file is read, with
 * every entry's values matching its declared columns and slices, or it fails with a
 * {@link CorruptFormatException} naming the offset; anything else is a finding. In verify the seeds in
 * {@code ImatrixFuzzTestInputs/} are replayed; to fuzz one target:
 * {@code JAZZER_FUZZ=1 ./mvnw -o -B -pl quant-importance -am test -Dtest=ImatrixFuzzTest#legacy
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ImatrixFuzzTest {
    private static final Path NAME = Path.of("fuzz.imatrix");

    @FuzzTest(maxDuration = "5m")
    void legacy(byte[] input) throws IOException {
        CalibrationStats s;
        try {
            s = LegacyImatrixReader.read(NAME, input);
        } catch (CorruptFormatException e) {
            if (e.offset() < 0 || e.offset() > input.length) {
                throw new AssertionError("error offset outside the input: " + e.getMessage(), e);
            }
            return;
        }
        check(s, input.length);
    }

    @FuzzTest(maxDuration = "5m")
    void ggufSemantics(FuzzedDataProvider data) throws IOException {
        List<Metadata.Entry> md = new ArrayList<>();
        if (data.consumeBoolean()) {
            md.add(new Metadata.Entry("imatrix.datasets", data.consumeBoolean()
                    ? new MetaValue.Array(MetaType.STRING, List.of(MetaValue.text(data.consumeString(8))))
                    : MetaValue.u32(data.consumeInt())));
        }
        if (data.consumeBoolean()) {
            md.add(new Metadata.Entry("imatrix.chunk_count", data.consumeBoolean() ? MetaValue.u32(data.consumeInt(0, 1000))
                    : MetaValue.text("x")));
        }
        if (data.consumeBoolean()) {
            md.add(new Metadata.Entry("imatrix.chunk_size", MetaValue.u32(512)));
        }
        FakeReader r = new FakeReader(NAME, new Metadata(md));
        int tensors = data.consumeInt(0, 6);
        long floats = 0;
        for (int i = 0; i < tensors; i++) {
            String name = data.pickValue(List.of("blk.0.ffn_up.weight", "blk.0.ffn_down_exps.weight", "output.weight",
                    data.consumeString(12))) + data.pickValue(List.of(".in_sum2", ".counts", "", ".other"));
            if (data.consumeBoolean() && data.consumeBoolean()) {
                r.addF16(name, data.consumeInt(1, 64));
                continue;
            }
            int ne0 = data.consumeInt(1, 16);
            int ne1 = data.consumeInt(1, 4);
            float[] v = new float[ne0 * ne1];
            for (int k = 0; k < v.length; k++) {
                v[k] = data.consumeBoolean() ? data.consumeFloat() : data.consumeInt(0, 100);
            }
            floats += v.length;
            if (ne1 == 1) {
                r.add(name, v, ne0);
            } else {
                r.add(name, v, ne0, ne1);
            }
        }
        CalibrationStats s;
        try {
            s = GgufImatrixReader.read(NAME, r);
        } catch (CorruptFormatException e) {
            return;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("appears twice")) {
                return; // FakeReader itself refuses nothing; CalibrationStats refuses duplicate names like the reader
            }
            throw e;
        }
        check(s, floats * 4);
    }

    /** Every entry is consistent, and no more values exist than the input could hold. */
    private static void check(CalibrationStats s, long inputBytes) {
        long values = 0;
        for (TensorActivationStats t : s.tensors().values()) {
            if (t.columns() < 1 || t.slices() < 1) {
                throw new AssertionError(t.tensor() + ": " + t.columns() + " columns, " + t.slices() + " slices");
            }
            values += (long) t.columns() * t.slices();
        }
        if (values * 4 > inputBytes) {
            throw new AssertionError(values + " values from " + inputBytes + " bytes");
        }
    }

    /** A header claiming 2^31-1 entries, or one entry of 2^31-1 values or a 2 GB name: refused at once, unallocated. */
    @Test
    void hugeCountsAreRefusedBeforeAllocation() {
        byte[] manyEntries = le(Integer.MAX_VALUE, 4, 'a', 'b', 'c', 'd', 1, 1, 0);
        byte[] hugeEntry = le(1, 1, 'a', 1, Integer.MAX_VALUE, 0, 0, 0, 0);
        byte[] hugeName = le(1, Integer.MAX_VALUE, 'a', 'b', 'c', 'd');
        for (byte[] hostile : List.of(manyEntries, hugeEntry, hugeName)) {
            long before = allocated();
            long t0 = System.nanoTime();
            CorruptFormatException e = assertThrows(CorruptFormatException.class, () -> LegacyImatrixReader.read(NAME, hostile));
            long bytes = allocated() - before;
            assertTrue(System.nanoTime() - t0 < 500_000_000L, "refused at once");
            assertTrue(bytes < 256 * 1024, "allocated " + bytes + " bytes for: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("fuzz.imatrix: corrupt at byte "), e.getMessage());
        }
    }

    /** Little-endian int32 values (the fields of a legacy .dat; characters are written as one int each here). */
    private static byte[] le(int... ints) {
        ByteBuffer b = ByteBuffer.allocate(4 * ints.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : ints) {
            b.putInt(i);
        }
        return b.array();
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
