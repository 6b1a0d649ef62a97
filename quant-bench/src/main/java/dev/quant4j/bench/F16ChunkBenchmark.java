package dev.quant4j.bench;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-chunk work of {@code quant quantize} on an F16 model: one operation quantizes 64 rows of 4096 fp16
 * values (2^18 values, the engine's chunk; 512 KiB of F16 input) through {@link Quantizer#quantize}, i.e.
 * F16 widening, the finite check, encoding and the copy out. Chunks cycle through a 32 MiB off-heap tensor
 * so the input comes from memory, as from a mapped file. {@code quantizeChunkMeasured} adds the error sums. MB/s of F16 input = score (ops/s) x 0.524288.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class F16ChunkBenchmark {
    private static final int ROW = 4096;
    private static final int CHUNK_ROWS = 64;
    private static final int ROWS = 4096;

    @Param({"q8_0", "q4_0", "q4_1", "q5_0"})
    public String type;

    private TensorView src;
    private Quantizer quantizer;
    private MemorySegment out;
    private long chunk;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        MemorySegment data = Arena.ofAuto().allocate((long) ROW * ROWS * 2, 64);
        for (long i = 0; i < (long) ROW * ROWS; i++) {
            data.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16((float) (r.nextGaussian() * 0.02)));
        }
        src = new TensorView("bench", DType.F16, Shape.of(ROW, ROWS), data);
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        quantizer = ((QuantizerProvider<NoOptions>) registry.quantizer(type)).create(new NoOptions());
        out = MemorySegment.ofArray(new byte[Math.toIntExact(
                quantizer.encodedBytes("bench", Shape.of(ROW, CHUNK_ROWS)))]);
    }

    @Benchmark
    public MemorySegment quantizeChunk() {
        long first = chunk * CHUNK_ROWS;
        chunk = (chunk + 1) % (ROWS / CHUNK_ROWS);
        quantizer.quantize(src, first, CHUNK_ROWS, null, out);
        return out;
    }

    /** The same with the round-trip error measured in the encode pass, as {@code quant quantize} does by default. */
    @Benchmark
    public double quantizeChunkMeasured() {
        long first = chunk * CHUNK_ROWS;
        chunk = (chunk + 1) % (ROWS / CHUNK_ROWS);
        double[] sums = new double[1];
        quantizer.quantize(src, first, CHUNK_ROWS, null, out, (e, s, n) -> sums[0] += e);
        return sums[0];
    }
}
