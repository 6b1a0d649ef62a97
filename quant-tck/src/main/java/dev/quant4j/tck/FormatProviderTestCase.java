package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance of a {@link FormatProvider}. A plugin's test is three lines:
 *
 * <pre>{@code
 * class GgufFormatTest extends FormatProviderTestCase {
 *     @Override protected FormatProvider provider() { return new GgufFormatProvider(); }
 * }
 * }</pre>
 *
 * The kit writes {@link #sampleModel()} through the format's writer and reads it back; a format that cannot
 * hold every metadata type overrides {@link #sampleModel()}.
 */
public abstract class FormatProviderTestCase extends ProviderTestCase<FormatProvider> {
    private static final String FILE = "model.bin";

    @Override
    final ProviderKind expectedKind() {
        return ProviderKind.FORMAT;
    }

    /** The model written and read back: a few F32/F16 tensors and metadata of every type. */
    protected SampleModel sampleModel() {
        return SampleModel.of(SampleModel.everyMetaType());
    }

    private boolean has(Capability c) {
        return provider().descriptor().has(c);
    }

    private void assumeReadWrite() {
        Assumptions.assumeTrue(has(Capability.READ) && has(Capability.WRITE), "not a READ and WRITE format");
    }

    /** Writes {@code m} to {@code file}, filling tensors in layout order or (reverse) from the end, then commits. */
    static List<Path> write(FormatProvider f, Path file, SampleModel m, boolean reverse) throws IOException {
        try (ModelWriter w = f.create(file, m.layout(), WriteOptions.SINGLE_FILE)) {
            int n = m.layout().tensors().size();
            for (int k = 0; k < n; k++) {
                int i = reverse ? n - 1 - k : k;
                MemorySegment dst = w.tensorData(i);
                long size = m.layout().tensors().get(i).byteSize();
                assertEquals(size, dst.byteSize(), "tensorData(" + i + ") must be exactly the slot's " + size + " bytes");
                MemorySegment.copy(m.data().get(i), 0, dst, 0, size);
            }
            w.commit();
            return w.files();
        }
    }

    /** A format that declares neither READ nor WRITE does nothing. */
    @Test
    public final void declaresReadOrWrite() {
        assertTrue(has(Capability.READ) || has(Capability.WRITE), "a format must declare READ, WRITE or both");
    }

    /**
     * The sample written and committed reads back equal: one file under the final name and nothing else,
     * the same metadata in the same order, the same tensors in order with their bytes, and container facts
     * naming this format and the file.
     */
    @Test
    public final void writtenModelReadsBackEqual(@TempDir Path dir) throws IOException {
        assumeReadWrite();
        FormatProvider f = provider();
        SampleModel m = sampleModel();
        Path file = dir.resolve(FILE);
        List<Path> files = write(f, file, m, false);
        assertTrue(files.size() == 1 && sameFile(files.get(0), file),
                "files() after committing a single-file write must be [" + file + "], not " + files);
        assertEquals(List.of(file.getFileName().toString()), listNames(dir),
                "the directory must hold exactly the committed file (no temp files left)");
        try (ModelReader r = f.open(file)) {
            assertEquals(f.descriptor().name(), r.container().format(), "container().format()");
            assertTrue(r.container().files().stream().anyMatch(p -> sameFile(p, file)),
                    "container().files() " + r.container().files() + " must list " + file);
            assertMetadataEqual(m.layout().metadata(), r.metadata());
            List<ModelLayout.TensorSlot> want = m.layout().tensors();
            List<TensorInfo> got = r.tensors();
            assertEquals(want.stream().map(ModelLayout.TensorSlot::name).toList(),
                    got.stream().map(TensorInfo::name).toList(), "tensor names, in order");
            for (int i = 0; i < want.size(); i++) {
                ModelLayout.TensorSlot w = want.get(i);
                TensorInfo t = got.get(i);
                assertEquals(w.type(), t.type(), w.name() + ": type");
                assertEquals(w.shape(), t.shape(), w.name() + ": shape");
                assertEquals(w.byteSize(), t.byteSize(), w.name() + ": byte size");
                MemorySegment view = r.view(t).data();
                assertEquals(-1, view.mismatch(m.data().get(i)), w.name() + ": tensor bytes read back differ");
            }
        }
    }

    private static void assertMetadataEqual(Metadata want, Metadata got) {
        List<Metadata.Entry> w = want.entries();
        List<Metadata.Entry> g = got.entries();
        for (int i = 0; i < Math.min(w.size(), g.size()); i++) {
            assertEquals(w.get(i), g.get(i), "metadata entry " + i + " read back differently");
        }
        assertEquals(w.size(), g.size(), "metadata entries: wrote " + w.size() + ", read " + g.size());
    }

    /** canRead is true for the format's own output and false, without throwing, for files that are not it. */
    @Test
    public final void canReadOwnOutputButNotGarbage(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(has(Capability.READ), "not a READ format");
        FormatProvider f = provider();
        if (has(Capability.WRITE)) {
            Path own = dir.resolve(FILE);
            write(f, own, sampleModel(), false);
            assertTrue(sniff(f, own), "canRead is false for the format's own output");
        }
        byte[] random = new byte[4096];
        new SplittableRandom(42).nextBytes(random);
        Path missing = dir.resolve("missing.bin");
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path[] notModels = {
            Files.write(dir.resolve("empty.bin"), new byte[0]),
            Files.write(dir.resolve("one.bin"), new byte[] {0x47}),
            Files.write(dir.resolve("three.bin"), new byte[] {1, 2, 3}),
            Files.write(dir.resolve("random.bin"), random),
            Files.writeString(dir.resolve("text.txt"), "this is not a model file\n".repeat(40)),
            missing,
            folder,
        };
        for (Path p : notModels) {
            assertFalse(sniff(f, p), "canRead is true for " + p.getFileName() + ", which is not a model");
        }
    }

    private static boolean sniff(FormatProvider f, Path p) {
        try {
            return f.canRead(p);
        } catch (RuntimeException e) {
            throw new AssertionError("canRead(" + p.getFileName() + ") threw " + e + "; it must answer false", e);
        }
    }

    /** A writer closed without commit leaves no file behind: neither the final name nor a temp file. */
    @Test
    public final void closeWithoutCommitLeavesNoFiles(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(has(Capability.WRITE), "not a WRITE format");
        SampleModel m = sampleModel();
        Path out = Files.createDirectory(dir.resolve("out"));
        try (ModelWriter w = provider().create(out.resolve(FILE), m.layout(), WriteOptions.SINGLE_FILE)) {
            MemorySegment.copy(m.data().get(0), 0, w.tensorData(0), 0, m.data().get(0).byteSize());
        }
        assertEquals(List.of(), listNames(out), "files left behind by a writer closed without commit");
    }

    /**
     * Every prefix of the format's own output is refused on open (or when a tensor is viewed) with an
     * IOException, ideally a CorruptFormatException naming the offset; never an unchecked exception, never
     * silently accepted. canRead never throws on them.
     */
    @Test
    public final void truncatedOutputRejectedWithIOException(@TempDir Path dir) throws IOException {
        assumeReadWrite();
        FormatProvider f = provider();
        Path whole = dir.resolve(FILE);
        write(f, whole, sampleModel(), false);
        byte[] bytes = Files.readAllBytes(whole);
        for (int len : truncationLengths(bytes.length)) {
            Path cut = Files.write(dir.resolve("cut-" + len + ".bin"), Arrays.copyOf(bytes, len));
            sniff(f, cut);
            String problem = openTruncated(f, cut);
            Files.delete(cut);
            if (problem != null) {
                fail("own output cut to " + len + " of " + bytes.length + " bytes: " + problem);
            }
        }
    }

    /** Every length below 2048, then 512 evenly spaced ones, then size - 1. */
    private static int[] truncationLengths(int size) {
        int dense = Math.min(size, 2048);
        int sparse = size > dense ? 512 : 0;
        int[] out = new int[dense + sparse];
        for (int i = 0; i < dense; i++) {
            out[i] = i;
        }
        for (int k = 0; k < sparse; k++) {
            out[dense + k] = dense + (int) ((long) (size - 1 - dense) * (k + 1) / sparse);
        }
        return out;
    }

    /** Null when the truncated file was refused with an IOException, else what went wrong. */
    private static String openTruncated(FormatProvider f, Path cut) {
        try (ModelReader r = f.open(cut)) {
            r.metadata();
            for (TensorInfo t : r.tensors()) {
                r.view(t).data().mismatch(MemorySegment.ofArray(new byte[0]));
            }
            return "it was opened and read without an error";
        } catch (IOException e) {
            return null;
        } catch (RuntimeException e) {
            return "unchecked " + e + " instead of a CorruptFormatException (or another IOException)";
        }
    }

    /** Filling tensors in reverse order gives the same file as filling them in order; so does writing twice. */
    @Test
    public final void outputIndependentOfFillOrder(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(has(Capability.WRITE), "not a WRITE format");
        FormatProvider f = provider();
        Path a = Files.createDirectory(dir.resolve("a")).resolve(FILE);
        Path b = Files.createDirectory(dir.resolve("b")).resolve(FILE);
        Path c = Files.createDirectory(dir.resolve("c")).resolve(FILE);
        write(f, a, sampleModel(), false);
        write(f, b, sampleModel(), true);
        write(f, c, sampleModel(), false);
        byte[] first = Files.readAllBytes(a);
        assertTrue(Arrays.equals(first, Files.readAllBytes(b)), "filling tensors in reverse order changed the file");
        assertTrue(Arrays.equals(first, Files.readAllBytes(c)), "writing the same model twice gave different files");
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
