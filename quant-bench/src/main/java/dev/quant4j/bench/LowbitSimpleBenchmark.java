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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Quantization speed of the quant-lowbit "simple" types on Gaussian rows of 4096 floats (sigma 0.02, like
 * trained weights), no importance. One operation = one row = 16 KiB of F32 input, so
 * {@code MB/s of F32 input per thread = ops/s * 16384 / 1e6}; run with {@code -t N} for N threads.
 *
 * <pre>java -jar quant-bench/target/benchmarks.jar LowbitSimpleBenchmark -p type=iq4_xs -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LowbitSimpleBenchmark {
    static final int ROW = 4096;
    static final int ROWS = 16;

    @Param({"iq4_xs", "iq4_nl", "tq2_0", "tq1_0", "mxfp4", "nvfp4", "q1_0", "q2_0", "bitnet-absmean"})
    public String type;

    private Quantizer quantizer;
    private TensorView src;
    private MemorySegment dst;

    @Setup
    public void setup() {
        QuantizerProvider<?> p = QuantRegistry.load(LowbitSimpleBenchmark.class.getClassLoader()).quantizer(type);
        quantizer = create(p);
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = new float[ROW * ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.02 * Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble()));
        }
        src = TensorView.ofFloats("bench", Shape.of(ROW, ROWS), x);
        dst = MemorySegment.ofArray(new byte[(int) quantizer.encodedBytes("bench", src.shape())]);
    }

    private static <O extends Record> Quantizer create(QuantizerProvider<O> p) {
        return p.create(p.defaultOptions());
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public MemorySegment quantizeRow() {
        quantizer.quantize(src, 0, ROWS, null, dst);
        return dst;
    }
}
