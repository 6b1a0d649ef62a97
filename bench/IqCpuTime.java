import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * MiB/s per CPU-second of one IQ quantizer on IqBenchmark's data (64 rows of 4096 Gaussian values, sigma
 * 0.02, with an importance row = 1 MiB of F32): the best of RUNS timed quantizations after a warm-up, by
 * thread CPU time, which a loaded machine disturbs far less than wall time. Prints the output's CRC too, so
 * two builds or -Dquant4j.vector=false/true can be checked for identical bytes.
 *   java --add-modules jdk.incubator.vector -cp quant-bench/target/benchmarks.jar bench/IqCpuTime.java iq3_s [RUNS]
 */
public class IqCpuTime {
    public static void main(String[] args) {
        String type = args[0];
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int n = 4096;
        int rows = 64;
        QuantizerProvider<?> p = QuantRegistry.load(IqCpuTime.class.getClassLoader()).quantizer(type);
        Quantizer q = create(p);
        SplittableRandom r = new SplittableRandom(42);
        float[] x = new float[n * rows];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int k = 0; k < 12; k++) {
                s += r.nextDouble();
            }
            x[i] = (float) ((s - 6) * 0.02);
        }
        TensorView src = TensorView.ofFloats("bench.weight", Shape.of(n, rows), x);
        float[] importance = new float[n];
        for (int i = 0; i < n; i++) {
            double e = 0.05 + 2 * r.nextDouble();
            importance[i] = (float) (e * e);
        }
        byte[] out = new byte[Math.toIntExact(q.encodedBytes(src.name(), src.shape()))];
        MemorySegment dst = MemorySegment.ofArray(out);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 4; i++) {
            q.quantize(src, 0, rows, importance, dst);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = bean.getCurrentThreadCpuTime();
            q.quantize(src, 0, rows, importance, dst);
            best = Math.min(best, bean.getCurrentThreadCpuTime() - t0);
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(out);
        System.out.printf("%s %s %.1f MiB/s per CPU-second, crc %08x%n", type,
                System.getProperty("quant4j.vector", "true").equals("false") ? "scalar" : "vector", 1e9 / best, crc.getValue());
    }

    private static <O extends Record> Quantizer create(QuantizerProvider<O> p) {
        return p.create(p.defaultOptions());
    }
}
