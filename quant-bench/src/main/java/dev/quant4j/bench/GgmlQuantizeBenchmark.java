package dev.quant4j.bench;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
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
 * Quantization throughput of the ggml types, one operation = one row of {@value #ROW} Gaussian floats
 * (16 KiB of F32 input), single thread. MB/s of F32 input per thread = score (ops/s) x 16384 / 10^6.
 * Rows cycle through a 64-row matrix (1 MiB) so the input is not a single cache-resident row. The fork runs
 * with {@code --add-modules jdk.incubator.vector} so the vectorized searches are measured; add
 * {@code -jvmArgsAppend -Dquant4j.vector=false} to measure the scalar ones.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GgmlQuantizeBenchmark {
    static final int ROW = 4096;
    private static final int ROWS = 64;

    /** Whether the importance-weighted path runs (a random imatrix row); ignored by Q8_0. */
    @Param({"false"})
    public boolean imatrix;

    private TensorView src;
    private float[] importance;
    private MemorySegment out;
    private Quantizer q8_0;
    private Quantizer q4_0;
    private Quantizer q4_K;
    private Quantizer q6_K;
    private Quantizer q2_K;
    private long row;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        float[] x = new float[ROW * ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 0.02);
        }
        src = TensorView.ofFloats("bench", Shape.of(ROW, ROWS), x);
        importance = new float[ROW];
        for (int i = 0; i < ROW; i++) {
            double e = 0.05 + 2 * r.nextDouble();
            importance[i] = (float) (e * e);
        }
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        q8_0 = create(registry, "q8_0");
        q4_0 = create(registry, "q4_0");
        q4_K = create(registry, "q4_k");
        q6_K = create(registry, "q6_k");
        q2_K = create(registry, "q2_k");
        out = MemorySegment.ofArray(new byte[ROW * 4]);
    }

    @SuppressWarnings("unchecked")
    private static Quantizer create(QuantRegistry registry, String name) {
        return ((QuantizerProvider<NoOptions>) registry.quantizer(name)).create(new NoOptions());
    }

    private MemorySegment run(Quantizer q) {
        long r = row;
        row = (r + 1) % ROWS;
        MemorySegment dst = out.asSlice(0, q.encodedBytes("bench", Shape.of(ROW)));
        q.quantize(src, r, 1, imatrix ? importance : null, dst);
        return dst;
    }

    @Benchmark
    public MemorySegment Q8_0() {
        return run(q8_0);
    }

    @Benchmark
    public MemorySegment Q4_0() {
        return run(q4_0);
    }

    @Benchmark
    public MemorySegment Q4_K() {
        return run(q4_K);
    }

    @Benchmark
    public MemorySegment Q6_K() {
        return run(q6_K);
    }

    @Benchmark
    public MemorySegment Q2_K() {
        return run(q2_K);
    }
}
