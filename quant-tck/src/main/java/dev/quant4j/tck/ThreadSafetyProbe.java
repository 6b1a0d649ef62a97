package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Runs one quantizer from several threads at once, each on its own inputs, and compares every result with
 * the bytes computed alone beforehand. Distinct inputs per thread matter: state shared by mistake only
 * shows when the threads' data differ.
 */
final class ThreadSafetyProbe {
    private ThreadSafetyProbe() {
    }

    static void run(Quantizer q, int threads, int rounds, LongFunction<TensorView> input,
                    LongFunction<float[]> importance) throws Exception {
        int jobs = threads * rounds;
        List<byte[]> expected = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            expected.add(Quant.whole(q, input.apply(j), importance.apply(j)));
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int r = 0; r < rounds; r++) {
                        int job = thread * rounds + r;
                        byte[] got = Quant.whole(q, input.apply(job), importance.apply(job));
                        if (!java.util.Arrays.equals(expected.get(job), got)) {
                            return "thread " + thread + ", round " + r + ": bytes differ from the single-threaded "
                                    + "result; the quantizer keeps per-call state where threads share it";
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> f : results) {
                String problem;
                try {
                    problem = f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("quantizing concurrently failed: " + e.getCause(), e.getCause());
                }
                if (problem != null) {
                    fail(problem);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
