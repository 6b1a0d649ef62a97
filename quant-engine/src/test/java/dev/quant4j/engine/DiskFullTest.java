package dev.quant4j.engine;

import dev.quant4j.tck.SmallFilesystem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.NoSpaceException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.registry.RegistryEntry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.Provider;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full device, on a real small file system (a tmpfs of 1 or 6 MB mounted by the test): refused up front when the
 * computed output cannot fit, and reported plainly when the device fills during the write — with nothing left
 * behind, or with the temp file and journal kept for a resume.
 */
class DiskFullTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(DiskFullTest.class.getClassLoader());
    /** Q8_0 output about 3.6 MB: fits the 6 MB device until the test fills it. */
    private static final DemoModel MODEL = new DemoModel(4, 256, 512, 4, 2, 2048, 3);
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = MODEL.write(REGISTRY, dir.resolve("m-f16.gguf"));
    }

    private static QuantizeJob.Builder job(Path out, String type) {
        return QuantizeJob.builder(REGISTRY).input(model).output(out).threads(2)
                .planner("llama-cpp", FileTypes.plannerOptions(REGISTRY, type));
    }

    @Test
    void outputLargerThanTheDeviceIsRefusedBeforeWriting(@TempDir Path tmp) throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "1m")) {
            Path out = fs.dir().resolve("out.gguf");
            for (boolean dry : new boolean[] {true, false}) {
                NoSpaceException e = assertThrows(NoSpaceException.class, () -> job(out, "F16").dryRun(dry).build().run());
                assertTrue(e.getMessage().startsWith("no space left on device while writing " + out + " (needed "),
                        e.getMessage());
                assertTrue(e.needed() > 1 << 20 && e.free() <= 1 << 20, e.needed() + " needed, " + e.free() + " free");
                assertEquals(List.of(), list(fs.dir()), "nothing written");
            }
        }
    }

    @Test
    void deviceFillingUpMidRunLeavesNothing(@TempDir Path tmp) throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "6m")) {
            Path out = fs.dir().resolve("out.gguf");
            NoSpaceException e = assertThrows(NoSpaceException.class, () -> fillingJob(out, fs).build().run());
            assertTrue(e.getMessage().matches("no space left on device while writing \\Q" + out
                    + "\\E \\(needed \\d+ bytes, \\d+ free\\); the partial output was removed.*"), e.getMessage());
            assertEquals(List.of("filler"), list(fs.dir()), "no .tmp and no journal left");
        }
    }

    @Test
    void resumableRunKeepsItsTempFileAndSaysSo(@TempDir Path tmp) throws Exception {
        Path ref = tmp.resolve("ref.gguf");
        fillingJob(ref, null).build().run();
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "6m")) {
            Path out = fs.dir().resolve("out.gguf");
            NoSpaceException e = assertThrows(NoSpaceException.class,
                    () -> fillingJob(out, fs).resume(true).build().run());
            assertTrue(e.getMessage().contains("the partial output " + out + ".tmp and its journal are kept: free some "
                    + "space and run again with --resume"), e.getMessage());
            assertEquals(List.of("filler", "out.gguf.tmp", "out.gguf.tmp.journal"), list(fs.dir()));
            // resuming on the still-full device is refused before writing: needed = the tensors not yet written
            NoSpaceException again = assertThrows(NoSpaceException.class, () -> fillingJob(out, null).resume(true).build().run());
            // needed = the tensors the journal does not hold: the first tensors were written and journaled long
            // before the device filled (at blk.2), the tensor being written then is missing
            assertTrue(again.needed() > 0 && again.needed() <= bytesAfter(ref, 0), again.getMessage());
            assertTrue(again.getMessage().contains("and its journal are kept"), again.getMessage());
            assertEquals(List.of("filler", "out.gguf.tmp", "out.gguf.tmp.journal"), list(fs.dir()));
            Files.delete(fs.dir().resolve("filler"));
            fillingJob(out, null).resume(true).build().run();
            assertEquals(-1, Files.mismatch(ref, out), "the resumed output equals an uninterrupted run");
        }
    }

    @Test
    void quantizerWritingIntoTheMappingFailsCleanlyOnAFullDevice(@TempDir Path tmp) throws Exception {
        // a quantizer without ROW_INDEPENDENT writes straight into the output mapping; its tensor's space is taken
        // with positional writes first, so a full device is an IOException there, not a fault inside the stores
        QuantRegistry reg = withMappedQ8();
        Path ref = tmp.resolve("ref.gguf");
        QuantizeJob.builder(reg).input(model).output(ref).threads(2)
                .planner("llama-cpp", FileTypes.plannerOptions(reg, "mapped-q8")).build().run();
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.resolve("fs"), "6m")) {
            Path out = fs.dir().resolve("out.gguf");
            int[] filledBefore = {-1};
            NoSpaceException e = assertThrows(NoSpaceException.class, () -> QuantizeJob.builder(reg).input(model)
                    .output(out).threads(2).planner("llama-cpp", FileTypes.plannerOptions(reg, "mapped-q8"))
                    .listener(fillerBeforeQuantized(fs, filledBefore)).build().run());
            assertTrue(filledBefore[0] > 0, "the device was filled before a quantized tensor");
            assertTrue(e.getMessage().contains("the partial output was removed"), e.getMessage());
            assertEquals(List.of("filler"), list(fs.dir()), "no .tmp and no journal left");
            Files.delete(fs.dir().resolve("filler"));
            QuantizeJob.builder(reg).input(model).output(out).threads(2)
                    .planner("llama-cpp", FileTypes.plannerOptions(reg, "mapped-q8")).build().run();
            assertEquals(-1, Files.mismatch(ref, out), "with room, the reserved tensors hold the quantizer's bytes");
        }
    }

    /**
     * A Q8_0 run whose quantizer ({@code filling-q8}: q8_0's bytes) fills {@code fs} the first time it quantizes rows
     * of a {@code blk.2.} tensor, so the device fills at a known point of the write whatever the pipeline's timing;
     * a null {@code fs} never fills (the same output, for references and resumes).
     */
    private static QuantizeJob.Builder fillingJob(Path out, SmallFilesystem fs) {
        java.util.concurrent.atomic.AtomicBoolean filled = new java.util.concurrent.atomic.AtomicBoolean(fs == null);
        QuantizerProvider<?> q8 = REGISTRY.quantizer("q8_0");
        List<Provider<?>> all = new ArrayList<>(REGISTRY.entries().stream().map(RegistryEntry::provider).toList());
        all.add(new QuantizerProvider<NoOptions>() {
            @Override
            public ProviderDescriptor descriptor() {
                return ProviderDescriptor.of(getClass(), "filling-q8", "q8_0 that fills the device at blk.2",
                        Capability.DEQUANTIZE, Capability.ROW_INDEPENDENT);
            }

            @Override
            public Class<NoOptions> optionsType() {
                return NoOptions.class;
            }

            @Override
            public Quantizer create(NoOptions options) {
                Quantizer inner = Workers.quantizer(q8, Map.of());
                return new Quantizer() {
                    @Override
                    public dev.quant4j.api.tensor.TensorEncoding encoding() {
                        return inner.encoding();
                    }

                    @Override
                    public long encodedBytes(String tensor, dev.quant4j.api.tensor.Shape shape) {
                        return inner.encodedBytes(tensor, shape);
                    }

                    @Override
                    public void quantize(dev.quant4j.api.tensor.TensorView src, long firstRow, long rowCount,
                                         float[] importance, java.lang.foreign.MemorySegment dst) {
                        if (src.name().startsWith("blk.2.") && filled.compareAndSet(false, true)) {
                            try {
                                fs.fill();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                        inner.quantize(src, firstRow, rowCount, importance, dst);
                    }

                    @Override
                    public void dequantize(java.lang.foreign.MemorySegment encoded, dev.quant4j.api.tensor.Shape shape,
                                           long firstRow, long rowCount, float[] dst) {
                        inner.dequantize(encoded, shape, firstRow, rowCount, dst);
                    }
                };
            }
        });
        QuantRegistry reg = QuantRegistry.of(all.toArray(Provider<?>[]::new));
        return QuantizeJob.builder(reg).input(model).output(out).threads(2)
                .planner("llama-cpp", FileTypes.plannerOptions(reg, "filling-q8"));
    }

    /** q8_0 declared without ROW_INDEPENDENT, so the engine hands it the tensor's mapped output segment. */
    private static QuantRegistry withMappedQ8() {
        List<Provider<?>> all = new ArrayList<>(REGISTRY.entries().stream().map(RegistryEntry::provider).toList());
        QuantizerProvider<?> q8 = REGISTRY.quantizer("q8_0");
        all.add(new QuantizerProvider<NoOptions>() {
            @Override
            public ProviderDescriptor descriptor() {
                return ProviderDescriptor.of(getClass(), "mapped-q8", "q8_0 through the mapping", Capability.DEQUANTIZE);
            }

            @Override
            public Class<NoOptions> optionsType() {
                return NoOptions.class;
            }

            @Override
            public Quantizer create(NoOptions options) {
                return Workers.quantizer(q8, Map.of());
            }
        });
        return QuantRegistry.of(all.toArray(Provider<?>[]::new));
    }

    /** Fills the device after the first tensor that is followed by a quantized (not copied) one, from index 2 on. */
    private static ProgressListener fillerBeforeQuantized(SmallFilesystem fs, int[] filledBefore) {
        return new ProgressListener() {
            private Plan plan;

            @Override
            public void planned(Plan p, long inputBytes) {
                plan = p;
            }

            @Override
            public void tensorDone(int i, int count, TensorResult result, long inputBytesDone) {
                if (filledBefore[0] < 0 && i >= 2 && i + 1 < count && !plan.tensors().get(i + 1).isCopy()) {
                    filledBefore[0] = i + 1;
                    try {
                        fs.fill();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
    }

    /** The data bytes of the tensors after index {@code last} in a finished output. */
    private static long bytesAfter(Path gguf, int last) throws IOException {
        try (ModelReader r = REGISTRY.format("gguf").open(gguf)) {
            return r.tensors().stream().skip(last + 1L).mapToLong(TensorInfo::byteSize).sum();
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
