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
 *      [rows cols tokens reps [f32|f16|f16-decoded|q8_0|q8_0-decoded]]   (default: 5632 2048 1536 3 f32: ffn_up
 *      of a TinyLlama layer, the 3 x 512 tokens of one `quant perplexity -c 512 --chunks 3` batch)
 * f32: one float tile reused for every tile (the kernel alone). f16 / q8_0: the whole matrix encoded in native
 * memory, every tile read from it as MatMul does — by the kernel itself when the jar's MatTile reads the encoding
 * (MatTile.multiplyEncoded), else decoded into a float tile first; *-decoded: always decoded first (the earlier
 * MatMul path).
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
        boolean q8 = mode.startsWith("q8_0");
        long rowBytes = q8 ? cols / 32 * 34L : 2L * cols;
        MemorySegment h = mode.equals("f32") ? null : Arena.ofAuto().allocate(rowBytes * rows);
        for (long i = 0; h != null && i < (long) rows * cols; i++) {
            if (!q8) {
                h.set(half, 2 * i, Float.floatToFloat16((float) r.nextGaussian()));
            } else if (i % 32 == 0) {
                h.set(half, i / 32 * 34, Float.floatToFloat16(0.01f));
                for (int j = 2; j < 34; j++) {
                    h.set(ValueLayout.JAVA_BYTE, i / 32 * 34 + j, (byte) r.nextInt(256));
                }
            }
        }
        java.lang.reflect.Method direct = null;
        Object encoding = null;
        try {
            if (h != null && !mode.endsWith("-decoded")) {
                Class<?> enc = Class.forName("dev.quant4j.kernels.MatTile$Encoding");
                encoding = enc.getField(q8 ? "Q8_0" : "F16").get(null);
                if ((boolean) MatTile.class.getMethod("reads", enc).invoke(k, encoding)) {
                    direct = MatTile.class.getMethod("multiplyEncoded", enc, MemorySegment.class, long.class,
                            long.class, int.class, int.class, float[].class, int.class, float[].class, int.class,
                            int.class, float[].class, byte[].class);
                }
            }
        } catch (ReflectiveOperationException e) {
            direct = null; // a jar from before the kernel read encoded weights
        }
        byte[] staging = new byte[8192];
        short[] shorts = new short[4096];
        byte[] bytes = new byte[Math.toIntExact(rowBytes * tileRows)];
        if (h != null) {
            System.out.println(direct != null ? mode + " read by the kernel" : mode + " decoded into a float tile first");
            scratch = new float[scratch.length + cols + 4096];
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < reps + 2; rep++) { // two warm-up passes
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int first = 0; first < rows; first += tileRows) {
                int n = Math.min(tileRows, rows - first);
                if (direct != null) {
                    try {
                        direct.invoke(k, encoding, h, first * rowBytes, rowBytes, n, cols, x, tokens, out, first, rows,
                                scratch, staging);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                    continue;
                }
                if (h != null && !q8) { // as TensorView.readRows: bulk copies into a staging array, a converting loop
                    for (int done = 0, m; done < n * cols; done += m) {
                        m = Math.min(shorts.length, n * cols - done);
                        MemorySegment.copy(h, half, 2L * first * cols + 2L * done, shorts, 0, m);
                        for (int i = 0; i < m; i++) {
                            w[done + i] = Float.float16ToFloat(shorts[i]);
                        }
                    }
                } else if (h != null) { // as the Q8_0 dequantizer: the bytes copied out, then q * d
                    MemorySegment.copy(h, ValueLayout.JAVA_BYTE, first * rowBytes, bytes, 0, Math.toIntExact(n * rowBytes));
                    for (int i = 0, o = 0; i < n * cols; i += 32, o += 34) {
                        float d = Float.float16ToFloat((short) ((bytes[o] & 0xFF) | (bytes[o + 1] << 8)));
                        for (int j = 0; j < 32; j++) {
                            w[i + j] = bytes[o + 2 + j] * d;
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
