package dev.quant4j.bench;

import dev.quant4j.kernels.Q3Quants;
import dev.quant4j.kernels.QkxBatch;
import dev.quant4j.kernels.vector.VectorQ3Batch;
import dev.quant4j.kernels.vector.VectorQkxBatch;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The k-quant sub-block scale searches themselves, without a warm gate (JMH's warm-up compiles them): one
 * operation = the searches of one row of 4096 Gaussian floats (sigma 0.02), rows cycling through 1 MiB.
 * {@code q3*}: Q3_K's make_q3_quants over 256 sub-blocks of 16; {@code qkx16*}: Q2_K's make_qkx2_quants (16 values,
 * nmax 3, 16 candidates, absolute error); {@code qkx32Vector}: Q4_K's (32 values, nmax 15, 21 candidates).
 *
 * <pre>java -jar quant-bench/target/benchmarks.jar KScaleSearchBenchmark -f 1 -wi 5 -w 1 -i 3 -r 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KScaleSearchBenchmark {
    static final int ROW = 4096;
    static final int ROWS = 64;

    private final float[] x = new float[ROW * ROWS];
    private final float[] w = new float[ROW * ROWS];
    private final byte[] levels = new byte[ROW];
    private final float[] scales = new float[ROW / 16];
    private final float[] mins = new float[ROW / 16];
    private final VectorQ3Batch q3 = new VectorQ3Batch(16);
    private final VectorQkxBatch qkx16 = new VectorQkxBatch(16);
    private final VectorQkxBatch qkx32 = new VectorQkxBatch(32);
    private final QkxBatch qkx16Scalar = QkxBatch.scalar(16);
    private int row;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 0.02);
            w[i] = Math.abs(x[i]);
        }
    }

    private int next() {
        int off = row * ROW;
        row = (row + 1) % ROWS;
        return off;
    }

    @Benchmark
    public byte[] q3Scalar() {
        int off = next();
        for (int j = 0; j < ROW / 16; j++) {
            scales[j] = Q3Quants.make(16, 4, x, off + 16 * j, levels, 16 * j);
        }
        return levels;
    }

    @Benchmark
    public byte[] q3Vector() {
        q3.make(ROW / 16, 4, x, next(), levels, 0, scales, 0);
        return levels;
    }

    @Benchmark
    public byte[] qkx16Scalar() {
        int off = next();
        qkx16Scalar.make(ROW / 16, 3, x, off, w, off, -0.5f, 0.1f, 15, true, false, levels, 0, scales, mins, 0);
        return levels;
    }

    @Benchmark
    public byte[] qkx16Vector() {
        int off = next();
        qkx16.make(ROW / 16, 3, x, off, w, off, -0.5f, 0.1f, 15, true, false, levels, 0, scales, mins, 0);
        return levels;
    }

    @Benchmark
    public byte[] qkx32Vector() {
        int off = next();
        qkx32.make(ROW / 32, 15, x, off, w, off, -1f, 0.1f, 20, false, false, levels, 0, scales, mins, 0);
        return levels;
    }
}
