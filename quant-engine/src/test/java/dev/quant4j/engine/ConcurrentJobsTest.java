package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library face under load: eight QuantizeJobs at once in one JVM, sharing one registry, on three models and
 * eight types, write exactly the bytes each writes alone; a ninth, cancelled mid-run, leaves nothing and
 * disturbs none of them.
 */
class ConcurrentJobsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(ConcurrentJobsTest.class.getClassLoader());
    private static final List<String> TYPES = List.of("Q4_K_M", "Q8_0", "Q6_K", "IQ4_XS", "Q4_0", "Q5_K_S", "Q3_K_M", "Q2_K");
    private static final List<Path> MODELS = new ArrayList<>();

    @BeforeAll
    static void writeModels(@TempDir Path dir) throws IOException {
        MODELS.add(new DemoModel(2, 256, 512, 4, 2, 512, 1).write(REGISTRY, dir.resolve("a.gguf")));
        MODELS.add(new DemoModel(3, 512, 768, 8, 2, 256, 2).write(REGISTRY, dir.resolve("b.gguf")));
        MODELS.add(new DemoModel(2, 256, 1024, 4, 4, 768, 3).write(REGISTRY, dir.resolve("c.gguf")));
    }

    private static QuantizeJob.Builder job(int i, Path out) {
        return QuantizeJob.builder(REGISTRY).input(MODELS.get(i % MODELS.size())).output(out).threads(1 + i % 2)
                .planner("llama-cpp", FileTypes.plannerOptions(REGISTRY, TYPES.get(i)));
    }

    @Test
    void eightJobsAtOnceWriteWhatEachWritesAlone(@TempDir Path tmp) throws Exception {
        Path alone = Files.createDirectories(tmp.resolve("alone"));
        Path together = Files.createDirectories(tmp.resolve("together"));
        for (int i = 0; i < TYPES.size(); i++) {
            job(i, alone.resolve(i + ".gguf")).build().run();
        }
        ExecutorService pool = Executors.newFixedThreadPool(TYPES.size() + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<QuantizeReport>> runs = new ArrayList<>();
            for (int i = 0; i < TYPES.size(); i++) {
                QuantizeJob j = job(i, together.resolve(i + ".gguf")).build();
                runs.add(pool.submit(() -> {
                    start.await();
                    return j.run();
                }));
            }
            QuantizeJob[] victim = new QuantizeJob[1];
            victim[0] = job(0, together.resolve("cancelled.gguf")).listener(new ProgressListener() {
                @Override
                public void tensorDone(int index, int count, TensorResult result, long inputBytesDone) {
                    if (index == 3) {
                        victim[0].cancel();
                    }
                }
            }).build();
            Future<QuantizeReport> cancelled = pool.submit(() -> {
                start.await();
                return victim[0].run();
            });
            start.countDown();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, cancelled::get);
            assertInstanceOf(CancellationException.class, e.getCause());
            for (int i = 0; i < TYPES.size(); i++) {
                runs.get(i).get();
                assertEquals(-1, Files.mismatch(alone.resolve(i + ".gguf"), together.resolve(i + ".gguf")),
                        TYPES.get(i) + " on model " + (i % MODELS.size()) + " differs when run concurrently");
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> s = Files.list(together)) {
            List<String> left = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(TYPES.size(), left.size(), "only the eight outputs: " + left);
            assertFalse(left.stream().anyMatch(n -> n.startsWith("cancelled")), left.toString());
        }
        assertTrue(Files.size(together.resolve("0.gguf")) > 0);
    }
}
