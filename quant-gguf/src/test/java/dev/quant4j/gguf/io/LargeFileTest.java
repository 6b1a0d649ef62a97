package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 GiB model (a sparse file: only the pages touched take disk space) is written through mapped slots and
 * opened again at once: only the header is parsed, tensor pages load when read.
 */
class LargeFileTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ROW = 65536;
    private static final Set<String> SPARSE = Set.of("ext4", "xfs", "btrfs", "tmpfs", "zfs", "apfs", "f2fs", "overlay");

    @TempDir
    Path tmp;

    @Test
    void aHundredGibModelIsWrittenAndOpenedWithoutTouchingItsData() throws Exception {
        String fs = Files.getFileStore(tmp).type();
        Assumptions.assumeTrue(SPARSE.contains(fs), "file system " + fs + " may not keep files sparse; skipping");
        long rows = 100L * 1024 * 1024 * 1024 / (ROW * 4) - 1; // just under 100 GiB of F32
        ModelLayout layout = WriterTest.layout(List.of(
                WriterTest.slot("small", DType.F32, 8),
                WriterTest.slot("huge", DType.F32, ROW, rows),
                WriterTest.slot("after", DType.Q8_0, 64)));
        Path out = tmp.resolve("huge.gguf");
        try (ModelWriter w = GgufFiles.FORMAT.create(out, layout, WriteOptions.SINGLE_FILE)) {
            MemorySegment huge = w.tensorData(1);
            huge.set(F32, 0, 1.5f);
            huge.set(F32, huge.byteSize() - 4, -2.25f);
            w.tensorData(2).fill((byte) 7);
            w.commit();
        }
        assertTrue(Files.size(out) > 100e9);
        long start = System.nanoTime();
        try (ModelReader r = GgufFiles.FORMAT.open(out)) {
            long openMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(openMillis < 2_000, "opening took " + openMillis + " ms");
            TensorInfo t = r.tensors().get(1);
            assertEquals(rows * ROW * 4, t.byteSize());
            TensorView v = r.view(t);
            float[] row = new float[(int) ROW];
            v.readRow(rows - 1, row, 0);
            assertEquals(-2.25f, row[row.length - 1]);
            assertEquals(0f, row[0]);
            v.readRow(0, row, 0);
            assertEquals(1.5f, row[0]);
            byte[] after = r.view(r.tensors().get(2)).data().toArray(ValueLayout.JAVA_BYTE);
            assertEquals(68, after.length);
            assertEquals(7, after[67]);
        }
    }
}
