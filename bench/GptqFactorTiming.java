import dev.quant4j.kernels.gptq.Cholesky;
import java.lang.reflect.Method;
import java.util.Random;

/**
 * Seconds for GPTQ's factorisation (upper Cholesky factor of H⁻¹) of an n × n Hessian with whichever
 * quant-kernels jar is on the class path: one thread, and (when the jar has the threaded form) THREADS threads.
 * Usage: java -cp quant-kernels.jar bench/GptqFactorTiming.java N THREADS REPEATS
 */
public class GptqFactorTiming {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        double[] h = new double[n * n];
        Random r = new Random(1);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 0.5 + r.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i * n + j] = s[i] * s[j] * Math.pow(0.9, Math.abs(i - j)) + (i == j ? 0.01 : 0);
            }
        }
        Method threaded = null;
        try {
            threaded = Cholesky.class.getMethod("upperOfInverse", double[].class, int.class, int.class);
        } catch (NoSuchMethodException e) {
            // an older jar: one thread only
        }
        for (int k = 0; k < repeats; k++) {
            long t0 = System.nanoTime();
            Cholesky.upperOfInverse(h, n);
            double one = (System.nanoTime() - t0) / 1e9;
            String more = "";
            if (threaded != null) {
                t0 = System.nanoTime();
                threaded.invoke(null, h, n, threads);
                more = String.format(" threads=%d %.2f s", threads, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("n=%d one thread %.2f s%s%n", n, one, more);
        }
    }
}
