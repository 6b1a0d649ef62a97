package dev.quant4j.bench;

import dev.quant4j.api.registry.QuantRegistry;
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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IQ codebook quantizers on rows of 4096 Gaussian values (sigma 0.02) with an importance row. One operation
 * quantizes 64 rows = exactly 1 MiB of F32 input, so the reported ops/s are MiB/s of F32 input per thread.
 *
 * <pre>
 * ./mvnw -o -q -B -pl quant-lowbit,quant-bench -am package -DskipTests
 * java -jar quant-bench/target/benchmarks.jar IqBenchmark -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IqBenchmark {
    private static final int N = 4096;
    private static final int ROWS = 64;

    @Param({"iq1_s", "iq1_m", "iq2_xxs", "iq2_xs", "iq2_s", "iq3_xxs", "iq3_s"})
    public String type;

    private Quantizer quantizer;
    private TensorView src;
    private float[] importance;
    private MemorySegment dst;

    @Setup
    public void setup() {
        quantizer = create(QuantRegistry.load(IqBenchmark.class.getClassLoader()).quantizer(type));
        SplittableRandom r = new SplittableRandom(42);
        float[] x = new float[N * ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (gaussian(r) * 0.02);
        }
        src = TensorView.ofFloats("bench.weight", Shape.of(N, ROWS), x);
        importance = new float[N];
        for (int i = 0; i < N; i++) {
            double e = 0.05 + 2 * r.nextDouble();
            importance[i] = (float) (e * e);
        }
        dst = MemorySegment.ofArray(new byte[Math.toIntExact(quantizer.encodedBytes(src.name(), src.shape()))]);
    }

    @Benchmark
    public MemorySegment quantizeOneMiB() {
        quantizer.quantize(src, 0, ROWS, importance, dst);
        return dst;
    }

    private static <O extends Record> Quantizer create(QuantizerProvider<O> p) {
        return p.create(p.defaultOptions());
    }

    private static double gaussian(SplittableRandom r) {
        double s = 0;
        for (int i = 0; i < 12; i++) {
            s += r.nextDouble();
        }
        return s - 6;
    }
}
