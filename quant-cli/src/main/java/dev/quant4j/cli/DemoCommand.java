package dev.quant4j.cli;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import dev.quant4j.engine.ProgressListener;
import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quant demo}: generates a llama-shaped F16 model and quantizes it, start to finish. */
@Command(name = "demo", mixinStandardHelpOptions = true, header = "Generates a demo model and quantizes it.",
        description = {"Generates a deterministic llama-shaped F16 model of about 50 MB (4 layers, rows multiples of",
                "256, per-row Gaussian scales, outlier columns) in a temp folder, quantizes it and prints the",
                "per-tensor table and summary (sizes, bits per weight, RMSE, throughput), then runs both models on the",
                "same 256 pseudo-random tokens and prints how far the quantized model's next-token distributions",
                "drift from the original's (mean KL divergence, how often the most likely token is the same)."})
final class DemoCommand implements Callable<Integer> {
    /** The forward-pass comparison: 2 sequences of 128 pseudo-random tokens, one batch (about a second). */
    private static final int SEQUENCES = 2;
    private static final int SEQUENCE_TOKENS = 128;

    @Spec
    CommandSpec spec;

    @Option(names = "--type", defaultValue = "Q4_K_M", description = "File type to quantize to (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = {"-t", "--threads"}, defaultValue = "0", description = "Worker threads (default: all cores).")
    int threads;

    @Option(names = "--keep", paramLabel = "DIR", description = "Write the models into DIR and keep them.")
    Path keep;

    @Option(names = "--size", paramLabel = "SIZE",
            description = "Generate a bigger model of about SIZE (e.g. 2G) instead of the 50 MB one: dim 2048, ffn 5632.")
    String size;

    @Option(names = "--table", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print the per-tensor table (default: on).")
    boolean table;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        QuantRegistry registry = Registries.load();
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("quant4j-demo");
        try {
            DemoModel model = size == null ? DemoModel.standard() : DemoModel.ofSize(QuantizeCommand.parseSize(size), 42);
            Path in = dir.resolve("demo-source-f16.gguf");
            Path outFile = dir.resolve("demo-" + type.toLowerCase(Locale.ROOT) + ".gguf");
            long t0 = System.nanoTime();
            model.write(registry, in);
            out.println(String.format(Locale.ROOT, "generated  %s (%s, %d layers, dim %d, ffn %d) in %.2f s", in,
                    Formats.mb(Files.size(in)), model.layers(), model.dim(), model.ffn(), (System.nanoTime() - t0) / 1e9));
            out.println("quantizing to " + type + " ...");
            out.flush();
            QuantizeReport r = JobRunner.run(QuantizeJob.builder(registry).input(in).output(outFile)
                    .planner("llama-cpp", Map.of("file-type", type)).threads(threads)
                    .listener(ProgressListener.NONE).build(), spec.commandLine().getErr());
            if (table) {
                Summary.tensorTable(r, out);
                out.println();
            }
            Summary.totals(r, out, keep != null);
            if (!r.dryRun()) {
                ForwardAgreement a = ForwardAgreement.measure(registry, in, outFile, model.vocab(), SEQUENCES,
                        SEQUENCE_TOKENS, threads);
                out.println(String.format(Locale.ROOT,
                        "forward    %d positions through both models: KL divergence %.5f (mean), same top token %.1f %%, %.2f s",
                        a.positions(), a.meanKld(), 100 * a.sameTop(), a.seconds()));
            }
            if (keep == null) {
                out.println("(the demo files are temporary and now removed; keep them with --keep DIR)");
            }
            return ExitCodes.OK;
        } finally {
            if (keep == null) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
