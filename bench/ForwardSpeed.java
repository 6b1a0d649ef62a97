import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Prompt-processing speed of the forward pass as `quant perplexity -c N --chunks 1` sees it: one batch of N tokens
 * from position 0, all logits. Generates a TinyLlama-shaped F16 model with 8 layers (483 M parameters) once.
 * Run: java --add-modules jdk.incubator.vector -cp CLASSPATH bench/ForwardSpeed.java [model.gguf] [tokens] [threads]
 */
public class ForwardSpeed {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/quant4j-tinyllama8-f16.gguf");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        QuantRegistry registry = QuantRegistry.load(ForwardSpeed.class.getClassLoader());
        if (!Files.exists(file)) {
            DemoModel m = new DemoModel(8, 2048, 5632, 32, 4, 32000, 42);
            long t = System.nanoTime();
            m.write(registry, file);
            System.out.printf("generated %s (%d bytes) in %.1f s%n", file, Files.size(file), (System.nanoTime() - t) / 1e9);
        }
        int[] ids = new Random(1).ints(n, 3, 32000).toArray();
        ids[0] = 1;
        try (ModelRunner r = ModelRunner.open(file, registry, RunOptions.defaults().withThreads(threads))) {
            long t = System.nanoTime();
            long cpu0 = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
            r.logits(ids);
            double s = (System.nanoTime() - t) / 1e9;
            double cpu = (java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime() - cpu0) / 1e9;
            System.out.printf("%d tokens, %d threads: %.1f s wall, %.1f s CPU, %.1f tokens/s (wall)%n", n, threads, s, cpu,
                    n / s);
        }
    }
}
