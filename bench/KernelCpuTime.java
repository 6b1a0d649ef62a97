import dev.quant4j.kernels.MatTile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * The prompt-processing matmul kernel per CPU-second of its thread (ThreadMXBean), on a loaded machine the figure
 * that means something where wall-clock scores do not. Runs one matrix the way MatMul does: 128-row tiles of a
 * rows x cols weight, every tile times the same batch of tokens, outputs strided by rows (token-major).
 * Run: java --add-modules jdk.incubator.vector -cp quant-bench/target/benchmarks.jar bench/KernelCpuTime.java
 *      [rows cols tokens reps]   (default: 5632 2048 1536 3: ffn_up of a TinyLlama layer, the 3 x 512 tokens
 *      of one `quant perplexity -c 512 --chunks 3` batch)
 */
public class KernelCpuTime {
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 5632;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 1536;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
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
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < reps + 2; rep++) { // two warm-up passes
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int first = 0; first < rows; first += tileRows) {
                int n = Math.min(tileRows, rows - first);
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
