package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.registry.RegistryEntry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Provider;
import dev.quant4j.api.spi.ProviderDescriptor;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline on a small generated model: plan, parallel chunks, atomic output, dry run, cancellation. */
class QuantizeJobTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(QuantizeJobTest.class.getClassLoader());
    private static final DemoModel SMALL = new DemoModel(2, 256, 512, 4, 2, 512, 7);
    private static Path model;

    @BeforeAll
    static void writeModel(@TempDir Path dir) throws IOException {
        model = SMALL.write(REGISTRY, dir.resolve("small-f16.gguf"));
    }

    private static QuantizeJob.Builder job(QuantRegistry registry, Path out, String type) {
        return QuantizeJob.builder(registry).input(model).output(out)
                .planner("llama-cpp", FileTypes.plannerOptions(registry, type));
    }

    @Test
    void quantizesEveryTensorAndReportsError(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("q8.gguf");
        QuantizeReport r = job(REGISTRY, out, "Q8_0").threads(2).build().run();
        assertEquals(List.of(out), r.outputs());
        assertEquals(SMALL.tensors().size(), r.tensors().size());
        for (TensorResult t : r.tensors()) {
            if (t.shape().rank() == 1) {
                assertTrue(t.copied(), t.name() + " stays " + t.sourceType());
            } else {
                assertEquals("q8_0", t.targetType(), t.name());
                // q8_0 keeps ~0.4% relative error on Gaussian rows, up to ~1.1% in blocks with 12-sigma outliers
                assertTrue(t.relativeRmse() > 0.002 && t.relativeRmse() < 0.02, t.name() + " rel rmse " + t.relativeRmse());
                assertEquals(8.5, t.bitsPerWeight(), 1e-9);
            }
        }
        try (ModelReader reader = REGISTRY.format("gguf").open(out)) {
            assertEquals(r.tensors().stream().map(TensorResult::name).toList(),
                    reader.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(7L, reader.metadata().getLong("general.file_type").orElseThrow(), "MOSTLY_Q8_0");
        }
        assertFalse(Files.exists(tmp.resolve("q8.gguf.tmp")));
    }

    @Test
    void threadCountNeverChangesTheBytes(@TempDir Path tmp) throws IOException {
        Path one = tmp.resolve("one.gguf");
        Path two = tmp.resolve("two.gguf");
        job(REGISTRY, one, "Q4_K_M").threads(1).measureError(false).build().run();
        job(REGISTRY, two, "Q4_K_M").threads(3).measureError(false).build().run();
        assertEquals(-1, Files.mismatch(one, two));
    }

    @Test
    void dryRunPlansAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("never.gguf");
        QuantizeReport r = job(REGISTRY, out, "Q4_K_M").dryRun(true).build().run();
        assertTrue(r.dryRun());
        assertTrue(r.outputBytes() > 0 && r.outputBytes() < r.inputBytes() / 3);
        assertTrue(r.tensors().stream().allMatch(t -> Double.isNaN(t.rmse())));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "a dry run writes no file");
        }
    }

    @Test
    void failureMidwayLeavesNoOutputAndNoTempFile(@TempDir Path tmp) throws IOException {
        QuantRegistry withFailing = withExtra(new FailingQ8("fail-q8", 3));
        Path out = tmp.resolve("broken.gguf");
        QuantException e = assertThrows(QuantException.class,
                () -> job(withFailing, out, "fail-q8").threads(2).build().run());
        assertEquals(ErrorCode.NON_FINITE_INPUT, e.code());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no output, no .tmp");
        }
    }

    @Test
    void cancelRemovesPartialOutput(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("cancelled.gguf");
        List<QuantizeJob> holder = new ArrayList<>();
        ProgressListener cancelAfterFirst = new ProgressListener() {
            @Override
            public void tensorDone(int index, int count, TensorResult result, long done) {
                holder.get(0).cancel();
            }
        };
        QuantizeJob j = job(REGISTRY, out, "Q8_0").listener(cancelAfterFirst).build();
        holder.add(j);
        assertThrows(CancellationException.class, j::run);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void splitOutputReadsBackAsOneModel(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("split.gguf");
        QuantizeReport r = job(REGISTRY, out, "Q8_0").writeOptions(new WriteOptions(0, 5)).build().run();
        assertTrue(r.outputs().size() > 1, "several shards: " + r.outputs());
        try (ModelReader reader = REGISTRY.format("gguf").open(r.outputs().get(0))) {
            assertEquals(SMALL.tensors().size(), reader.tensors().size());
        }
    }

    @Test
    void keepSplitWritesOneShardPerInputShard(@TempDir Path tmp) throws IOException {
        Path split = tmp.resolve("in.gguf");
        QuantizeReport in = job(REGISTRY, split, "Q8_0").writeOptions(new WriteOptions(0, 7)).build().run();
        Path first = in.outputs().get(0);
        QuantizeReport out = QuantizeJob.builder(REGISTRY).input(first).output(tmp.resolve("out.gguf"))
                .planner("llama-cpp", java.util.Map.of("file-type", "Q8_0", "keep-split", "true", "allow-requantize", "true"))
                .keepSplit(true).build().run();
        assertEquals(in.outputs().size(), out.outputs().size(), "as many shards as the input: " + out.outputs());
        try (ModelReader a = REGISTRY.format("gguf").open(first);
                ModelReader b = REGISTRY.format("gguf").open(out.outputs().get(0))) {
            for (TensorInfo t : b.tensors()) {
                assertEquals(a.shardOf(t.name()), b.shardOf(t.name()), t.name());
            }
        }
    }

    @Test
    void thirdPartyQuantizerIsUsedByName(@TempDir Path tmp) throws IOException {
        AtomicInteger rows = new AtomicInteger();
        QuantRegistry reg = withExtra(new FailingQ8("counting-q8", Integer.MAX_VALUE, rows));
        QuantizeReport r = job(reg, tmp.resolve("x.gguf"), "counting-q8").build().run();
        long quantizedRows = r.tensors().stream().filter(t -> !t.copied()).mapToLong(t -> t.shape().rows()).sum();
        assertEquals(quantizedRows, rows.get(), "every quantized row went through the named quantizer");
        assertTrue(r.tensors().stream().filter(t -> !t.copied()).allMatch(t -> t.targetType().equals("q8_0")));
    }

    private static QuantRegistry withExtra(Provider<?> extra) {
        List<Provider<?>> all = new ArrayList<>(REGISTRY.entries().stream().map(RegistryEntry::provider).toList());
        all.add(extra);
        return QuantRegistry.of(all.toArray(Provider<?>[]::new));
    }

    /** Writes Q8_0-sized zero blocks; throws NON_FINITE_INPUT on its {@code failAt}-th row. */
    private record FailingQ8(String name, int failAt, AtomicInteger rows) implements QuantizerProvider<NoOptions> {
        FailingQ8(String name, int failAt) {
            this(name, failAt, new AtomicInteger());
        }

        @Override
        public ProviderDescriptor descriptor() {
            return ProviderDescriptor.of(getClass(), name, "test " + name, Capability.ROW_INDEPENDENT);
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public Quantizer create(NoOptions options) {
            return new RowQuantizer(DType.Q8_0) {
                @Override
                protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
                    if (rows.incrementAndGet() == failAt) {
                        throw new QuantException(ErrorCode.NON_FINITE_INPUT, "injected failure");
                    }
                }

                @Override
                protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
                    throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "no");
                }
            };
        }
    }
}
