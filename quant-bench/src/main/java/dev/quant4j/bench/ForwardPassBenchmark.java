package dev.quant4j.bench;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Prompt processing in the JVM: one operation is the forward pass of a 128-token batch from position 0
 * (all-position logits) through a generated F16 llama-shaped model ({@link DemoModel#standard()}: 4 layers,
 * dim 768, ffn 1536, 12 heads / 4 KV heads, vocab 2048; 47 MB, 23.6 M parameters). Tokens/s = score x 128.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class ForwardPassBenchmark {
    private static final int TOKENS = 128;

    @Param({"2"})
    public int threads;

    private Path dir;
    private ModelRunner runner;
    private int[] tokens;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        QuantRegistry registry = QuantRegistry.load(ForwardPassBenchmark.class.getClassLoader());
        dir = Files.createTempDirectory("quant4j-forward-bench");
        DemoModel demo = DemoModel.standard();
        Path model = demo.write(registry, dir.resolve("demo-f16.gguf"));
        runner = ModelRunner.open(model, registry, RunOptions.defaults().withThreads(threads));
        SplittableRandom r = new SplittableRandom(1);
        tokens = new int[TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            tokens[i] = r.nextInt(demo.vocab());
        }
    }

    @Benchmark
    public float[] batch128() {
        return runner.logits(tokens);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        runner.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
