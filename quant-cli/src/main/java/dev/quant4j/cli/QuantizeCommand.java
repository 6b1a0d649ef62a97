package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.engine.FileTypes;
import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quant quantize}: llama-quantize's command line over a {@link QuantizeJob}. */
@Command(name = "quantize", mixinStandardHelpOptions = true, header = "Quantizes a model (llama-quantize compatible).", sortOptions = false,
        description = {
            "Quantizes a model the way llama-quantize does, with the same arguments:",
            "  quant quantize [options] INPUT [OUTPUT] TYPE [THREADS]",
            "TYPE is a llama.cpp file type (Q4_K_M, Q8_0, IQ4_XS, F16, ... case-insensitive) or a ggml type",
            "name applied to every quantizable tensor. OUTPUT defaults to ggml-model-TYPE.gguf beside INPUT.",
            "Output is written to OUTPUT.tmp and renamed when complete; a failure or Ctrl-C leaves nothing."},
        footer = {"", "Example:", "  quant quantize --imatrix imatrix.gguf model-f16.gguf model-q4_k_m.gguf Q4_K_M 8"})
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..4", paramLabel = "ARGS", description = "INPUT [OUTPUT] TYPE [THREADS]")
    List<String> args;

    @Option(names = "--imatrix", paramLabel = "FILE", description = "Importance matrix (llama-imatrix .gguf or legacy .dat).")
    Path imatrix;

    @Option(names = "--include-weights", paramLabel = "NAME", description = "Use the imatrix only for these tensors (repeatable).")
    List<String> includeWeights = new ArrayList<>();

    @Option(names = "--exclude-weights", paramLabel = "NAME", description = "Do not use the imatrix for these tensors (repeatable).")
    List<String> excludeWeights = new ArrayList<>();

    @Option(names = "--output-tensor-type", paramLabel = "TYPE", description = "Type of output.weight.")
    String outputTensorType;

    @Option(names = "--token-embedding-type", paramLabel = "TYPE", description = "Type of token_embd.weight.")
    String tokenEmbeddingType;

    @Option(names = "--tensor-type", paramLabel = "REGEX=TYPE",
            description = "Type for tensors matching REGEX (repeatable; first match wins), e.g. ffn_down=q6_k.")
    List<String> tensorTypes = new ArrayList<>();

    @Option(names = "--tensor-type-file", paramLabel = "FILE", description = "File of REGEX=TYPE lines, like --tensor-type.")
    Path tensorTypeFile;

    @Option(names = "--pure", description = "Every quantizable tensor gets the default type (no mixture rules).")
    boolean pure;

    @Option(names = "--leave-output-tensor", description = "Keep output.weight as it is.")
    boolean leaveOutputTensor;

    @Option(names = "--allow-requantize", description = "Accept quantized input (it is dequantized first; quality suffers).")
    boolean allowRequantize;

    @Option(names = "--override-kv", paramLabel = "KEY=TYPE:VALUE",
            description = "Set a metadata value in the output (repeatable), e.g. tokenizer.ggml.add_bos_token=bool:false.")
    List<String> overrideKv = new ArrayList<>();

    @Option(names = "--keep-split", description = "Write a split input as the same number of shards.")
    boolean keepSplit;

    @Option(names = "--split-max-size", paramLabel = "SIZE", description = "Split output into shards of at most SIZE (e.g. 500M, 2G).")
    String splitMaxSize;

    @Option(names = "--split-max-tensors", paramLabel = "N", description = "Split output into shards of at most N tensors.")
    int splitMaxTensors;

    @Option(names = "--dry-run", description = "Print the per-tensor plan, sizes and predicted memory; write nothing.")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a JSON report (per-tensor types, sizes, RMSE, timing).")
    Path report;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--planner", paramLabel = "NAME", defaultValue = "llama-cpp",
            description = "Planner that picks each tensor's type (default: ${DEFAULT-VALUE}).")
    String planner;

    @Option(names = "--no-error-stats", description = "Skip the round-trip error measurement (faster).")
    boolean noErrorStats;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Positionals p = Positionals.parse(args);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int n = threads != null ? threads : p.threads() != null ? p.threads() : 0;
        var registry = Registries.load();
        QuantizeJob job = QuantizeJob.builder(registry)
                .input(p.input())
                .output(p.output())
                .planner(planner, plannerOptions(registry, p.type()))
                .importance(imatrix)
                .threads(n)
                .dryRun(dryRun)
                .measureError(!noErrorStats)
                .writeOptions(writeOptions())
                .listener(quiet ? dev.quant4j.engine.ProgressListener.NONE
                        : new ProgressPrinter(err, ProgressPrinter.stderrIsTerminal()))
                .build();
        QuantizeReport r = JobRunner.run(job);
        if (dryRun) {
            Summary.tensorTable(r, out);
            List<String> lacking = r.tensors().stream().filter(t -> t.note().contains("imatrix")).map(t -> t.name()).toList();
            if (!lacking.isEmpty()) {
                out.println("tensors without imatrix data: " + lacking);
            }
        }
        Summary.totals(r, out);
        if (report != null) {
            ReportJson.write(r, report);
            out.println("report     " + report);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Map<String, String> plannerOptions(dev.quant4j.api.registry.QuantRegistry registry, String type)
            throws IOException {
        Map<String, String> o = new LinkedHashMap<>(FileTypes.plannerOptions(registry, type));
        List<String> tt = new ArrayList<>(tensorTypes);
        if (tensorTypeFile != null) {
            for (String line : Files.readAllLines(tensorTypeFile)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    tt.add(line.trim());
                }
            }
        }
        putList(o, "tensor-type", tt);
        putList(o, "include-weights", includeWeights);
        putList(o, "exclude-weights", excludeWeights);
        putList(o, "override-kv", overrideKv);
        if (outputTensorType != null) {
            o.put("output-tensor-type", outputTensorType);
        }
        if (tokenEmbeddingType != null) {
            o.put("token-embedding-type", tokenEmbeddingType);
        }
        putFlag(o, "pure", pure);
        putFlag(o, "leave-output-tensor", leaveOutputTensor);
        putFlag(o, "allow-requantize", allowRequantize);
        putFlag(o, "keep-split", keepSplit);
        putFlag(o, "dry-run", dryRun);
        return o;
    }

    private static void putList(Map<String, String> o, String key, List<String> values) {
        if (!values.isEmpty()) {
            o.put(key, String.join("\n", values));
        }
    }

    private static void putFlag(Map<String, String> o, String key, boolean value) {
        if (value) {
            o.put(key, "true");
        }
    }

    private WriteOptions writeOptions() {
        long bytes = splitMaxSize == null ? 0 : parseSize(splitMaxSize);
        return new WriteOptions(bytes, splitMaxTensors);
    }

    static long parseSize(String s) {
        String v = s.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G' || last == 'T') {
            mult = switch (last) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1L << 40;
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--split-max-size '" + s
                    + "' is not a size such as 500M or 2G");
        }
    }

    /** llama-quantize's positional shape: INPUT [OUTPUT] TYPE [THREADS]. */
    record Positionals(Path input, Path output, String type, Integer threads) {
        static Positionals parse(List<String> a) {
            Path in = Path.of(a.get(0));
            return switch (a.size()) {
                case 2 -> new Positionals(in, defaultOutput(in, a.get(1)), a.get(1), null);
                case 3 -> isInt(a.get(2))
                        ? new Positionals(in, defaultOutput(in, a.get(1)), a.get(1), Integer.parseInt(a.get(2)))
                        : new Positionals(in, Path.of(a.get(1)), a.get(2), null);
                default -> {
                    if (!isInt(a.get(3))) {
                        throw new QuantException(ErrorCode.INVALID_OPTION, "THREADS must be a number, got '" + a.get(3) + "'");
                    }
                    yield new Positionals(in, Path.of(a.get(1)), a.get(2), Integer.parseInt(a.get(3)));
                }
            };
        }

        private static boolean isInt(String s) {
            return s.matches("[0-9]{1,4}");
        }

        private static Path defaultOutput(Path in, String type) {
            Path dir = in.toAbsolutePath().getParent();
            return dir.resolve("ggml-model-" + type.toLowerCase(Locale.ROOT) + ".gguf");
        }
    }
}
