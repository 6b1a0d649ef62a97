package dev.quant4j.bench;

import dev.quant4j.kernels.MatTile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up of the matmul kernel in a fresh JVM, what a short {@code quant perplexity} run pays: {@link
 * MatTile#warmUp()} and then 20 tiles of 128 rows x 2048 columns x 512 tokens (2 of the kernel's 1024-column
 * blocks). One shot per fork, no JMH warm-up: the score is
 * the cold time. Compare on a quiet machine; the JIT's compile threads count only through their competition.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 5, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class KernelWarmUpBenchmark {
    private static final int ROWS = 128;
    private static final int COLS = 2048;
    private static final int TOKENS = 512;

    @Benchmark
    public float[] warmUpThen20Tiles() {
        MatTile kernel = MatTile.create();
        kernel.warmUp();
        float[] w = new float[ROWS * COLS];
        float[] x = new float[TOKENS * COLS];
        java.util.Arrays.fill(w, 0.01f);
        java.util.Arrays.fill(x, 0.02f);
        float[] out = new float[TOKENS * ROWS];
        float[] scratch = new float[kernel.scratchFloats(ROWS, COLS)];
        for (int i = 0; i < 20; i++) {
            kernel.multiply(w, ROWS, COLS, x, TOKENS, out, 0, ROWS, scratch);
        }
        return out;
    }
}
