package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Systematic corruption of real and synthetic files: every header byte flipped, every count, length, type,
 * dimension and offset field set to extreme values, the file cut at every header position. The only outcomes
 * allowed are a successful parse whose tensors all lie inside the file, or a {@link CorruptFormatException}
 * (or its {@code UnsupportedFormatVersionException}) naming the file and an offset inside it. Nothing may
 * throw anything else, run out of memory or hang.
 */
class MutationTest {
    private static final Path NAME = Path.of("mutated.gguf");
    private static final long[] U64_VALUES = {0, 1, 31, 63, 64, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL,
        0x1_0000_0000L, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, -1, -32};
    private static final long[] U32_VALUES = {0, 1, 2, 4, 5, 9, 12, 13, 31, 42, 43, 0x7FFF_FFFFL, 0x8000_0000L,
        0xFFFF_FFFFL};

    @TempDir
    Path tmp;

    /** Outcomes of a campaign: how many parses passed, failed as documented, or broke the contract. */
    private static final class Tally {
        int ok;
        int corrupt;
        final List<String> broken = new ArrayList<>();

        void assertClean(int minCorrupt) {
            assertEquals(List.of(), broken.subList(0, Math.min(10, broken.size())), broken.size() + " contract breaks");
            assertTrue(corrupt >= minCorrupt, "only " + corrupt + " mutations were detected");
        }
    }

    private static void parse(byte[] bytes, long length, String what, Tally tally) {
        MemorySegment seg = MemorySegment.ofArray(bytes).asSlice(0, length);
        try {
            GgufHeader h = HeaderReader.read(NAME, seg);
            for (TensorInfo t : h.tensors()) {
                new TensorView(t.name(), t.type(), t.shape(), seg.asSlice(h.dataOffset() + t.offset(), t.byteSize()));
            }
            tally.ok++;
        } catch (CorruptFormatException e) {
            if (!e.getMessage().startsWith(NAME + ": corrupt at byte ") || e.offset() < 0 || e.offset() > length) {
                tally.broken.add(what + ": badly located error " + e.getMessage());
            }
            tally.corrupt++;
        } catch (Throwable t) {
            tally.broken.add(what + ": " + t);
        }
    }

    /**
     * Flips each of the first {@code limit} bytes, then every {@code stride}-th up to {@code end}: all bits of
     * every byte, the lowest and the highest bit of every third.
     */
    private static void flipBytes(byte[] b, int end, int limit, int stride, Tally tally) {
        for (int i = 0; i < end; i += i < limit ? 1 : stride) {
            for (int mask : i % 3 == 0 ? new int[] {0xFF, 0x01, 0x80} : new int[] {0xFF}) {
                b[i] ^= (byte) mask;
                parse(b, b.length, "byte " + i + " ^ " + mask, tally);
                b[i] ^= (byte) mask;
            }
        }
    }

    private static void extremeFields(byte[] b, List<FieldWalker.Field> fields, Tally tally) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long[] sizeValues = {b.length, b.length + 1L, b.length - 1L};
        int strings = 0;
        for (FieldWalker.Field f : fields) {
            // the thousands of token lengths of a vocabulary are alike: every 16th is enough
            if (f.width() == 0 || f.what().equals("string value length") && strings++ % 16 != 0) {
                continue;
            }
            long saved = f.width() == 8 ? buf.getLong(f.pos()) : buf.getInt(f.pos());
            for (long[] values : new long[][] {f.width() == 8 ? U64_VALUES : U32_VALUES, sizeValues}) {
                for (long v : values) {
                    if (f.width() == 8) {
                        buf.putLong(f.pos(), v);
                    } else {
                        buf.putInt(f.pos(), (int) v);
                    }
                    parse(b, b.length, f.what() + " at " + f.pos() + " = " + v, tally);
                }
            }
            if (f.width() == 8) {
                buf.putLong(f.pos(), saved);
            } else {
                buf.putInt(f.pos(), (int) saved);
            }
        }
    }

    private static void truncations(byte[] b, int end, Tally tally) {
        for (int n = 0; n < end; n++) {
            parse(b, n, "cut at " + n, tally);
        }
    }

    @Test
    void storiesHeaderSurvivesEveryMutation() throws Exception {
        byte[] b = Files.readAllBytes(GgufFiles.stories());
        List<FieldWalker.Field> fields = FieldWalker.walk(b);
        int headerEnd = fields.getLast().pos();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Tally flips = new Tally();
            flipBytes(b, headerEnd, headerEnd, 1, flips);
            flips.assertClean(1000);
            Tally extremes = new Tally();
            extremeFields(b, fields, extremes);
            extremes.assertClean(fields.size() / 4);
            Tally cuts = new Tally();
            truncations(b, headerEnd + 64, cuts);
            cuts.assertClean(headerEnd + 64);
            assertEquals(0, cuts.ok, "a truncated file parsed");
        });
        parse(b, b.length, "original", new Tally()); // the buffer was restored: still valid
        assertEquals(-1, Files.mismatch(GgufFiles.stories(), write(b)));
    }

    @Test
    void vocabularyHeaderSurvivesABoundedSubset() throws Exception {
        byte[] b = Files.readAllBytes(dev.quant4j.tck.SharedData.require("models/ggml-vocab-llama-spm.gguf"));
        List<FieldWalker.Field> fields = FieldWalker.walk(b);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Tally t = new Tally();
            flipBytes(b, b.length, 128, b.length / 16, t);
            List<FieldWalker.Field> some = new ArrayList<>(fields.subList(0, 16));
            some.addAll(fields.subList(fields.size() - 6, fields.size()));
            extremeFields(b, some, t);
            t.assertClean(some.size());
        });
    }

    /** A small file with every metadata type, nested arrays and five tensor types, through the whole reader. */
    @Test
    void syntheticFileSurvivesEveryMutationThroughTheFullReader() throws Exception {
        Path src = tmp.resolve("src.gguf");
        var layout = WriterTest.layout(List.of(WriterTest.slot("a", dev.quant4j.api.tensor.DType.F32, 3, 5),
                WriterTest.slot("b", dev.quant4j.api.tensor.DType.Q4_K, 256, 2),
                WriterTest.slot("c", dev.quant4j.api.tensor.DType.BF16, 7)));
        try (ModelWriter w = GgufFiles.FORMAT.create(src, layout, WriteOptions.SINGLE_FILE)) {
            w.commit();
        }
        byte[] b = Files.readAllBytes(src);
        List<FieldWalker.Field> fields = FieldWalker.walk(b);
        int headerEnd = fields.getLast().pos();
        Path f = tmp.resolve("m.gguf");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int[] outcomes = new int[2];
            List<String> broken = new ArrayList<>();
            for (int i = 0; i < headerEnd; i++) {
                for (int mask : new int[] {0xFF, 0x01, 0x80}) {
                    b[i] ^= (byte) mask;
                    Files.write(f, b);
                    b[i] ^= (byte) mask;
                    try (ModelReader r = GgufFiles.FORMAT.open(f)) {
                        for (TensorInfo t : r.tensors()) {
                            r.view(t).data().byteSize();
                        }
                        outcomes[0]++;
                    } catch (CorruptFormatException e) {
                        outcomes[1]++;
                    } catch (Throwable t) {
                        broken.add("byte " + i + " ^ " + mask + ": " + t);
                    }
                }
            }
            assertEquals(List.of(), broken);
            assertTrue(outcomes[1] > headerEnd, outcomes[1] + " of " + 3 * headerEnd + " mutations detected");
            Tally t = new Tally();
            flipBytes(b, headerEnd, headerEnd, 1, t);
            extremeFields(b, fields, t);
            truncations(b, b.length, t);
            t.assertClean(fields.size());
        });
    }

    private Path write(byte[] b) throws Exception {
        Path p = tmp.resolve("restored.gguf");
        Files.write(p, b);
        return p;
    }
}
