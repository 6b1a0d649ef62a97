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
 *      [rows cols tokens reps [f32|f16|q8_0|q4_k|f16-decoded|q8_0-decoded|q4_k-decoded]]   (default: 5632 2048 1536 3 f32: ffn_up
 *      of a TinyLlama layer, the 3 x 512 tokens of one `quant perplexity -c 512 --chunks 3` batch)
 * f32: one float tile reused for every tile (the kernel alone). f16 / q8_0 / q4_k: the whole matrix encoded in native
 * memory, every tile read from it as MatMul does — by the kernel itself when the jar's MatTile reads the encoding
 * (MatTile.multiplyEncoded), else decoded into a float tile first (F16 as TensorView.readRows does, the others by
 * the registry's dequantizer); *-decoded: always decoded first (the earlier MatMul path).
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
        String type = mode.replace("-decoded", "");
        int qk = switch (type) { case "q8_0" -> 32; case "q4_k" -> 256; default -> 1; };
        int bb = switch (type) { case "q8_0" -> 34; case "q4_k" -> 144; default -> 2; };
        long rowBytes = (long) cols / qk * bb;
        MemorySegment h = mode.equals("f32") ? null : Arena.ofAuto().allocate(rowBytes * rows);
        for (long b = 0; h != null && b < h.byteSize(); b += bb) { // blocks: scale halves of 0.01, random quants
            if (qk == 1) {
                h.set(half, b, Float.floatToFloat16((float) r.nextGaussian()));
                continue;
            }
            int halves = qk == 256 ? 2 : 1;
            for (int j = 0; j < halves; j++) {
                h.set(half, b + 2 * j, Float.floatToFloat16(0.01f));
            }
            for (int j = 2 * halves; j < bb; j++) {
                h.set(ValueLayout.JAVA_BYTE, b + j, (byte) r.nextInt(256));
            }
        }
        dev.quant4j.api.spi.Quantizer dequantizer = qk == 1 ? null : dev.quant4j.api.registry.QuantRegistry
                .load(KernelCpuTime.class.getClassLoader()).quantizers().quantizer(type, java.util.Map.of());
        dev.quant4j.api.tensor.Shape shape = dev.quant4j.api.tensor.Shape.of(cols, rows);
        java.lang.reflect.Method direct = null;
        Object encoding = null;
        try {
            if (h != null && !mode.endsWith("-decoded")) {
                Class<?> enc = Class.forName("dev.quant4j.kernels.MatTile$Encoding");
                encoding = enc.getField(type.toUpperCase()).get(null);
                if ((boolean) MatTile.class.getMethod("reads", enc).invoke(k, encoding)) {
                    direct = MatTile.class.getMethod("multiplyEncoded", enc, MemorySegment.class, long.class,
                            long.class, int.class, int.class, float[].class, int.class, float[].class, int.class,
                            int.class, float[].class, byte[].class);
                }
            }
        } catch (ReflectiveOperationException e) {
            direct = null; // a jar from before the kernel read encoded weights
        }
        int stagingBytes = 8192; // the kernel's own need where it says (MatTile.stagingBytes, absent in older jars)
        try {
            stagingBytes = Math.max(stagingBytes, (int) MatTile.class.getMethod("stagingBytes").invoke(k));
        } catch (ReflectiveOperationException e) {
            // a jar from before stagingBytes: 8192 was enough
        }
        byte[] staging = new byte[stagingBytes];
        short[] shorts = new short[4096];
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
                if (h != null && qk == 1) { // as TensorView.readRows: bulk copies into a staging array, a converting loop
                    for (int done = 0, m; done < n * cols; done += m) {
                        m = Math.min(shorts.length, n * cols - done);
                        MemorySegment.copy(h, half, 2L * first * cols + 2L * done, shorts, 0, m);
                        for (int i = 0; i < m; i++) {
                            w[done + i] = Float.float16ToFloat(shorts[i]);
                        }
                    }
                } else if (h != null) { // as MatMul did: the registry's dequantizer into the float tile
                    dequantizer.dequantize(h.asSlice(first * rowBytes, n * rowBytes), shape, first, n, w);
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
