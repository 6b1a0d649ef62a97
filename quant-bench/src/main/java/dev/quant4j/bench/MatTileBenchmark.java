package dev.quant4j.bench;

import dev.quant4j.kernels.MatTile;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prompt-processing matmul kernel on one thread: a tile of 64 decoded weight rows times a 512-token batch
 * (what one {@code MatMul} tile of a TinyLlama-shaped layer does per chunk of {@code quant perplexity -c 512}).
 * GFLOP/s = score x 2 x 64 x cols x 512 / 1e9; {@code tile64x1} is the one-token (decoding) dot-product path.
 * Wall-clock scores mean little on a shared machine: {@code bench/KernelCpuTime.java} gives GFLOP per CPU-second of
 * the thread on the real matrices' tiles and output strides.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class MatTileBenchmark {
    private static final int ROWS = 64;
    private static final int TOKENS = 512;

    @Param({"2048", "5632"})
    public int cols;

    private final MatTile kernel = MatTile.create();
    private float[] w;
    private float[] x;
    private float[] out;
    private float[] scratch;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(7);
        w = new float[ROWS * cols];
        x = new float[TOKENS * cols];
        out = new float[TOKENS * ROWS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        scratch = new float[kernel.scratchFloats(ROWS, cols)];
    }

    /** One token (decoding): the dot-product path, one horizontal lane sum per output. */
    @Benchmark
    public float[] tile64x1() {
        kernel.multiply(w, ROWS, cols, x, 1, out, 0, ROWS, scratch);
        return out;
    }

    @Benchmark
    public float[] tile64x512() {
        kernel.multiply(w, ROWS, cols, x, TOKENS, out, 0, ROWS, scratch);
        return out;
    }
}
