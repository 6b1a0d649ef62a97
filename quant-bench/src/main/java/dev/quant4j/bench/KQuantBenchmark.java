package dev.quant4j.bench;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.NoOptions;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.spi.RoundTripSink;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The k-quant types as {@code quant quantize} runs them by default: rows of 4096 Gaussian floats (sigma 0.02), no
 * importance, with the round-trip error measured in the same pass ({@code roundTrip}) or without it
 * ({@code encode}). One operation = one row = 16 KiB of F32 input; single thread.
 *
 * <pre>java -jar quant-bench/target/benchmarks.jar KQuantBenchmark -f 1 -wi 3 -w 1 -i 3 -r 1 -p type=q3_k</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class KQuantBenchmark {
    static final int ROW = 4096;
    static final int ROWS = 16;

    @Param({"q3_k", "q2_k", "q4_k", "q5_k", "q6_k"})
    public String type;

    private Quantizer quantizer;
    private TensorView src;
    private MemorySegment dst;
    private double sink;

    @Setup
    @SuppressWarnings("unchecked")
    public void setup() {
        QuantizerProvider<NoOptions> p = (QuantizerProvider<NoOptions>) QuantRegistry
                .load(KQuantBenchmark.class.getClassLoader()).quantizer(type);
        quantizer = p.create(new NoOptions());
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = new float[ROW * ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * 0.02);
        }
        src = TensorView.ofFloats("bench", Shape.of(ROW, ROWS), x);
        dst = MemorySegment.ofArray(new byte[(int) quantizer.encodedBytes("bench", src.shape())]);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public MemorySegment encode() {
        quantizer.quantize(src, 0, ROWS, null, dst);
        return dst;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double roundTrip() {
        RoundTripSink errors = (e, s, c) -> sink += e;
        quantizer.quantize(src, 0, ROWS, null, dst, errors);
        return sink;
    }
}
