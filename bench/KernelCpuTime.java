import dev.quant4j.kernels.MatTile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * The prompt-processing matmul kernel per CPU-second of its thread (ThreadMXBean), on a loaded machine the figure
 * that means something where wall-clock scores do not. Runs one matrix the way MatMul does: 128-row tiles of a
 * rows x cols weight, every tile times the same batch of tokens, outputs strided by rows (token-major).
 * Run: java --add-modules jdk.incubator.vector -cp quant-bench/target/benchmarks.jar bench/KernelCpuTime.java
 *      [rows cols tokens reps [f32|f16|f16-decoded]]   (default: 5632 2048 1536 3 f32: ffn_up of a TinyLlama
 *      layer, the 3 x 512 tokens of one `quant perplexity -c 512 --chunks 3` batch)
 * f32: one float tile reused for every tile (the kernel alone). f16: the whole matrix as F16 halves in native memory,
 * every tile read from it as MatMul does — with the kernel's own F16 form when the jar has one (MatTile.readsF16),
 * else decoded into a float tile first; f16-decoded: always decoded first (the earlier MatMul path).
 */
public class KernelCpuTime {
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 5632;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 1536;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String mode = args.length > 4 ? args[4] : "f32";
        int tileRows = 128;
        SplittableRandom r = new SplittableRandom(7);
        float[] w = new float[tileRows * cols];
        float[] x = new float[tokens * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] out = new float[tokens * rows];
        MatTile k = MatTile.create();
        float[] scratch = new float[k.scratchFloats(tileRows, cols)];
        ValueLayout.OfShort half = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        MemorySegment h = mode.equals("f32") ? null : Arena.ofAuto().allocate(2L * rows * cols);
        for (long i = 0; h != null && i < (long) rows * cols; i++) {
            h.set(half, 2 * i, Float.floatToFloat16((float) r.nextGaussian()));
        }
        java.lang.reflect.Method fused = null;
        try {
            if (mode.equals("f16") && (boolean) MatTile.class.getMethod("readsF16").invoke(k)) {
                fused = MatTile.class.getMethod("multiplyF16", MemorySegment.class, long.class, long.class, int.class,
                        int.class, float[].class, int.class, float[].class, int.class, int.class, float[].class,
                        short[].class);
            }
        } catch (ReflectiveOperationException e) {
            fused = null; // a jar from before the F16 form
        }
        short[] staging = new short[4096];
        short[] shorts = new short[4096];
        if (h != null) {
            System.out.println(fused != null ? "F16 read by the kernel" : "F16 decoded into a float tile first");
            scratch = new float[scratch.length + cols];
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < reps + 2; rep++) { // two warm-up passes
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int first = 0; first < rows; first += tileRows) {
                int n = Math.min(tileRows, rows - first);
                if (fused != null) {
                    try {
                        fused.invoke(k, h, 2L * first * cols, 2L * cols, n, cols, x, tokens, out, first, rows, scratch,
                                staging);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                    continue;
                }
                if (h != null) { // as TensorView.readRows: bulk copies into a staging array, a converting loop
                    for (int done = 0, m; done < n * cols; done += m) {
                        m = Math.min(shorts.length, n * cols - done);
                        MemorySegment.copy(h, half, 2L * first * cols + 2L * done, shorts, 0, m);
                        for (int i = 0; i < m; i++) {
                            w[done + i] = Float.float16ToFloat(shorts[i]);
                        }
                    }
                }
                k.multiply(w, n, cols, x, tokens, out, first, rows, scratch);
            }
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            double wall = (System.nanoTime() - t0) / 1e9;
            double gflop = 2.0 * rows * cols * tokens / 1e9;
            System.out.printf("%s %dx%d x %d tokens: %.3f CPU s, %.1f GFLOP per CPU-s (wall %.1f)%n",
                    rep < 2 ? "warm-up" : "pass", rows, cols, tokens, cpu, gflop / cpu, gflop / wall);
        }
    }
}
