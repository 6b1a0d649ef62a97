package dev.quant4j.bench;

import dev.quant4j.kernels.gptq.BlockRounder;
import dev.quant4j.kernels.gptq.GptqConfig;
import dev.quant4j.kernels.gptq.GptqSolver;
import dev.quant4j.kernels.gptq.RankUpdate;
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
 * GPTQ's column sweep (error feedback, lazy batches of 128) over 16 rows of a 2048-wide weight with a correlated
 * Hessian, with the scalar oracle kernel and the Vector API one; a trivial 4-bit block rounder keeps the
 * quantizer's own cost out. One operation sweeps 16 rows (16 × 2048² / 2 multiply-adds of feedback).
 *
 * <pre>
 * ./mvnw -o -q -B -pl quant-bench -am package -DskipTests
 * java --add-modules jdk.incubator.vector -jar quant-bench/target/benchmarks.jar GptqSweepBenchmark -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GptqSweepBenchmark {
    private static final int COLS = 2048;
    private static final int ROWS = 16;
    private static final BlockRounder ABSMAX4 = (block, rows, width, first, out) -> {
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int i = 0; i < width; i++) {
                max = Math.max(max, Math.abs(block[r * width + i]));
            }
            float d = max / 7;
            for (int i = 0; i < width; i++) {
                out[r * width + i] = d == 0 ? 0 : Math.round(block[r * width + i] / d) * d;
            }
        }
    };

    @Param({"scalar", "vector"})
    public String kernel;

    private GptqSolver solver;
    private float[] weights;

    @Setup
    public void setup() {
        double[] h = new double[COLS * COLS];
        for (int i = 0; i < COLS; i++) {
            for (int j = 0; j < COLS; j++) {
                h[i * COLS + j] = Math.pow(0.9, Math.abs(i - j));
            }
        }
        GptqSolver s = GptqSolver.prepare(h, COLS, 256, GptqConfig.defaults());
        solver = kernel.equals("scalar") ? s.withKernel(RankUpdate.scalar()) : s.withKernel(RankUpdate.create());
        SplittableRandom r = new SplittableRandom(3);
        weights = new float[ROWS * COLS];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (0.02 * (r.nextDouble() * 2 - 1));
        }
    }

    @Benchmark
    public float[] sweep() {
        float[] w = weights.clone();
        solver.sweep(w, ROWS, ABSMAX4);
        return w;
    }
}
