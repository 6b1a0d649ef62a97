package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tensor larger than one chunk reports progress before it is done (so a progress bar moves during the first
 * large tensor): counts only grow, stay inside the current tensor, and reach its end.
 */
class ProgressWithinTensorTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void largeTensorsReportChunksInOrder(int threads, @TempDir Path tmp) throws Exception {
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        // vocab 4096 x dim 256: token_embd and output are 4 chunks of 1024 rows each
        Path in = new DemoModel(1, 256, 256, 2, 2, 4096, 9).write(registry, tmp.resolve("m.gguf"));
        List<long[]> events = new ArrayList<>(); // {0, bytes} progress, {1, bytes} tensor done
        ProgressListener l = new ProgressListener() {
            @Override
            public void progress(long done) {
                events.add(new long[] {0, done});
            }

            @Override
            public void tensorDone(int index, int count, TensorResult r, long done) {
                events.add(new long[] {1, done});
            }
        };
        QuantizeJob.builder(registry).input(in).output(tmp.resolve("o.gguf"))
                .planner("llama-cpp", Map.of("file-type", "Q8_0")).threads(threads).listener(l).build().run();
        assertTrue(Files.size(tmp.resolve("o.gguf")) > 0);
        long before = 0;
        long last = 0;
        int within = 0;
        int tensorsWithChunks = 0;
        for (long[] e : events) {
            assertTrue(e[1] >= last, "progress never goes back: " + e[1] + " after " + last);
            last = e[1];
            if (e[0] == 0) {
                assertTrue(e[1] > before, "a chunk adds bytes of the current tensor");
                within++;
            } else {
                if (within > 1) {
                    tensorsWithChunks++;
                }
                before = e[1];
                within = 0;
            }
        }
        assertEquals(2, tensorsWithChunks, "token_embd and output report their chunks");
    }
}
