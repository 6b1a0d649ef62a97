package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.engine.FileTypes;
import dev.quant4j.engine.QuantizeJob;
import dev.quant4j.engine.QuantizeReport;
import java.io.IOException;
import java.io.PrintWriter;
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
            "Quantizes a model the way llama-quantize does, with the same arguments.",
            "TYPE is a llama.cpp file type (Q4_K_M, Q8_0, IQ4_XS, F16, ...; any case), a ggml type name applied",
            "to every quantizable tensor, the name of an installed quantizer that writes a ggml type, or the",
            "name of an installed planner other than llama-cpp (e.g. bitnet-absmean), which then plans the",
            "whole model from its --planner-option settings.",
            "OUTPUT defaults to ggml-model-TYPE.gguf beside INPUT (e.g. ggml-model-Q4_K_M.gguf). Output is",
            "written to OUTPUT.tmp and renamed when complete; a failure or Ctrl-C leaves nothing."},
        footer = {"", "Examples:", "  quant quantize --imatrix imatrix.gguf model-f16.gguf model-q4_k_m.gguf Q4_K_M 8",
            "  quant quantize --output-format compressed-tensors ./Llama-3.2-1B ./llama-3.2-1b-w4a16 W4A16",
            "  quant quantize --planner-option tensors=experts-only --planner-option kept-precision=bf16 \\",
            "      model-bf16.gguf model-bitnet.gguf bitnet-absmean"})
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..4", paramLabel = "INPUT [OUTPUT] TYPE [THREADS]", hideParamSyntax = true,
            description = "The model to read, the file to write, the type, the worker threads.")
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

    @Option(names = "--planner", paramLabel = "NAME",
            description = "Planner that picks each tensor's type (default: TYPE when it names a planner, else llama-cpp).")
    String planner;

    @Option(names = "--planner-option", paramLabel = "KEY=VALUE",
            description = {"Option of the planner (repeatable; a key given again adds a list item), e.g.",
                "tensors=experts-only, kept-precision=bf16, layout=tq1_0 for bitnet-absmean."})
    List<String> plannerOptionArgs = new ArrayList<>();

    @Option(names = "--target-bpw", paramLabel = "X",
            description = "Measured allocation: bits per weight to reach (planner importance; implies --planner importance).")
    Double targetBpw;

    @Option(names = "--target-size", paramLabel = "SIZE",
            description = "Measured allocation: output file size, header included, e.g. 3.2G (implies --planner importance).")
    String targetSize;

    @Option(names = "--profile", paramLabel = "P",
            description = "Profile of the importance planner: balanced, attention-high, compression-max or a JSON file.")
    String profile;

    @Option(names = "--no-error-stats", description = "Skip the round-trip error measurement (faster).")
    boolean noErrorStats;

    @Option(names = "--transform", paramLabel = "NAME[:k=v,...]",
            description = "Apply a transform before planning (repeatable, in order), e.g. smoothquant:alpha=0.5; see docs/transforms.md.")
    List<String> transforms = new ArrayList<>();

    /** Set when a transform (rotate) forced the imatrix to be collected again from this calibration text. */
    private Path recollectedFrom;

    @picocli.CommandLine.Mixin
    TransformOptions transformOptions;

    @Option(names = {"-q", "--quiet"}, description = "No progress output (warnings and errors still show).")
    boolean quiet;

    @Option(names = "--output-format", paramLabel = "FORMAT", description = {"gguf (default) or compressed-tensors (vLLM):",
        "OUTPUT is then a directory and TYPE a scheme: W8A8, FP8_DYNAMIC, W4A16, W4A16_ASYM, FP8_BLOCK."})
    String outputFormat;

    @Option(names = "--format-option", paramLabel = "KEY=VALUE",
            description = "Option of the output format (repeatable), e.g. scale-dtype=f32 for compressed-tensors.")
    List<String> formatOptionArgs = new ArrayList<>();

    @Option(names = "--resume", description = {"Continue an interrupted run from OUTPUT.tmp and its journal (tensors",
        "already written are checked and kept); on failure keep them for the next --resume."})
    boolean resume;

    @Option(names = "--no-fsync", description = "Do not force the output to disk before renaming it (faster; a power loss may lose it).")
    boolean noFsync;

    @picocli.CommandLine.Mixin
    GptqOptions gptq = new GptqOptions();

    @Option(names = "--protect-super-weights", negatable = true, paramLabel = "",
            description = {"Write every tensor holding a super weight at the cheapest type keeping it within 1 %%, checked",
                "after writing (default: on for --planner importance). Found from activations on --calibration TEXT",
                "when given, else data-free (|w|·sqrt(imatrix))."})
    Boolean protectSuperWeights;

    @Option(names = "--eval", paramLabel = "TEXT", description = "After writing, compare the output with the input on TEXT (quant report).")
    Path eval;

    @Option(names = "--eval-ctx", paramLabel = "N", defaultValue = "512", description = "Tokens per chunk for --eval (default: 512).")
    int evalCtx;

    @Option(names = "--eval-chunks", paramLabel = "N", defaultValue = "-1", description = "At most N chunks for --eval (default: all).")
    int evalChunks;

    @Override
    public Integer call() throws IOException {
        if (outputFormat != null && !outputFormat.equalsIgnoreCase("gguf")) {
            refuseGgufOnlyOptions();
            return FormatOutput.run(spec.commandLine().getOut(), spec.commandLine().getErr(), args, outputFormat,
                    formatOptionArgs, writeOptions(), transforms, transformOptions, gptq, threads != null ? threads : 0);
        }
        if (planner == null && (targetBpw != null || targetSize != null)) {
            planner = IMPORTANCE;
        }
        if (transformOptions.calibration != null && transforms.isEmpty() && !gptq.enabled && !IMPORTANCE.equals(planner)
                && !Boolean.TRUE.equals(protectSuperWeights)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--calibration is read by --gptq, --transform, "
                    + "--protect-super-weights and the importance planner's estimator=blend/kld; give one of them "
                    + "(or drop --calibration)");
        }
        transformOptions.refuseSaveWithoutTransforms(transforms);
        Positionals p = Positionals.parse(args, planner);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int n = threads != null ? threads : p.threads() != null ? p.threads() : 0;
        checkPaths(p);
        var registry = Registries.load();
        String chosen = planner != null ? planner : FileTypes.plannerFor(registry, p.type());
        Path input = p.input();
        Path importance = imatrix;
        List<Path> temps = new ArrayList<>();
        if (!transforms.isEmpty()) {
            // transforms write an equivalent float model (and a matching imatrix) next to the output, deleted after
            input = p.output().resolveSibling(p.output().getFileName() + ".transformed.tmp");
            temps.add(input);
            Path rescaled = imatrix == null ? null : p.output().resolveSibling(p.output().getFileName() + ".imatrix.tmp");
            if (rescaled != null) {
                temps.add(rescaled);
            }
            try {
                var done = transformOptions.job(p.input(), input, transforms, imatrix, rescaled, n,
                        UnknownType.explain(registry, p.type(), () -> PlannedTargets.of(registry, p.input(), chosen,
                                plannerOptions(registry, chosen, p.type()), imatrix, n))).run(registry);
                if (done.imatrixRecollected()) {
                    recollectedFrom = transformOptions.calibration;
                    err.println("imatrix: " + imatrix + " was collected before the transforms mixed input channels;"
                            + " collected again on the transformed model from " + recollectedFrom);
                }
            } catch (IOException | RuntimeException e) {
                deleteAll(temps);
                throw e;
            }
            importance = rescaled;
        }
        try {
            return quantize(p, input, importance, n, registry, chosen, out, err);
        } finally {
            deleteAll(temps);
        }
    }

    /**
     * Options that shape a GGUF plan mean nothing to another output format: say so rather than ignore them
     * (--transform, --calibration and --gptq do apply: {@link FormatOutput}).
     */
    private void refuseGgufOnlyOptions() {
        List<String> given = new ArrayList<>();
        flag(given, imatrix != null, "--imatrix");
        flag(given, !tensorTypes.isEmpty() || tensorTypeFile != null, "--tensor-type");
        flag(given, outputTensorType != null || tokenEmbeddingType != null, "--output-tensor-type/--token-embedding-type");
        flag(given, planner != null || !plannerOptionArgs.isEmpty() || targetBpw != null || targetSize != null, "--planner/--target-*");
        flag(given, dryRun, "--dry-run");
        flag(given, report != null, "--report");
        flag(given, resume, "--resume");
        if (!given.isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, String.join(", ", given) + ": only for GGUF output, not for --output-format "
                    + outputFormat);
        }
    }

    private static void flag(List<String> given, boolean set, String option) {
        if (set) {
            given.add(option);
        }
    }

    private static void deleteAll(List<Path> files) throws IOException {
        for (Path f : files) {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    private Integer quantize(Positionals p, Path input, Path importance, int n,
                             dev.quant4j.api.registry.QuantRegistry registry, String chosen, PrintWriter out,
                             PrintWriter err) throws IOException {
        try (dev.quant4j.eval.probe.KldProbe probe = kldProbe(input, registry, chosen, n)) {
            return quantize(p, input, importance, n, registry, chosen, out, err, probe);
        }
    }

    /**
     * The forward-pass probe the importance planner's kld/blend estimators measure with: the input model on the
     * --calibration text (llama.cpp's numerics, so the costs are what llama-perplexity sees); opened lazily.
     */
    private dev.quant4j.eval.probe.KldProbe kldProbe(Path input, dev.quant4j.api.registry.QuantRegistry registry,
                                                     String chosen, int n) throws IOException {
        if (transformOptions.calibration == null || !IMPORTANCE.equals(chosen)) {
            return null;
        }
        String text = new String(java.nio.file.Files.readAllBytes(transformOptions.text(
                        "the importance planner's estimator=blend/kld")),
                java.nio.charset.StandardCharsets.UTF_8);
        var run = dev.quant4j.eval.model.RunOptions.llamaCppEmulation();
        return new dev.quant4j.eval.probe.KldProbe(input, registry, text, transformOptions.calibrationCtx,
                transformOptions.calibrationChunks, n > 0 ? run.withThreads(n) : run);
    }

    private Integer quantize(Positionals p, Path input, Path importance, int n,
                             dev.quant4j.api.registry.QuantRegistry registry, String chosen, PrintWriter out,
                             PrintWriter err, dev.quant4j.eval.probe.KldProbe probe) throws IOException {
        List<String> planSummary = new ArrayList<>();
        dev.quant4j.engine.ProgressListener shown =
                new ProgressPrinter(err, ProgressPrinter.stderrIsTerminal(), ProgressPrinter.level(quiet));
        QuantizeJob.Builder builder = QuantizeJob.builder(registry)
                .input(input)
                .output(p.output())
                .planner(chosen, UnknownType.explain(registry, p.type(), () -> plannerOptions(registry, chosen, p.type())))
                .importance(importance)
                .importanceName(recollectedFrom != null ? "collected on the transformed model from " + recollectedFrom
                        : imatrix == null || imatrix.equals(importance) ? null : imatrix.toString())
                .threads(n)
                .dryRun(dryRun)
                .measureError(!noErrorStats)
                .writeOptions(writeOptions())
                .keepSplit(keepSplit)
                .resume(resume)
                .sync(!noFsync)
                .gptq(gptq.hessians(registry, input, p.output(), gptq.enabled ? transformOptions.text("--gptq") : null, n,
                        dryRun, err), gptq.dampening,
                        gptq.actOrder)
                .listener(new PlanSummaryListener(shown, planSummary))
                .qualityProbe(probe)
                .superWeights(superWeightsFromText(registry, input, n, err));
        if (protectSuperWeights != null) {
            builder.protectSuperWeights(protectSuperWeights);
        }
        QuantizeJob job = builder.build();
        QuantizeReport r = UnknownType.explain(registry, p.type(), () -> JobRunner.run(job, err));
        if (dryRun) {
            Summary.tensorTable(r, out);
            List<String> lacking = r.tensors().stream().filter(t -> t.note().contains("imatrix")).map(t -> t.name()).toList();
            if (!lacking.isEmpty()) {
                out.println("tensors without imatrix data: " + lacking);
            }
        }
        Summary.totals(r, out);
        Summary.superWeights(r, out);
        planSummary.forEach(out::println);
        dev.quant4j.eval.report.QualityReport quality = null;
        if (eval != null && !dryRun) {
            quality = QualityCheck.run(registry, p.input(), p.output(), eval, evalCtx, evalChunks, n, err);
            dev.quant4j.eval.report.QualityText.summary(quality).forEach(out::println);
        }
        if (report != null) {
            ReportJson.write(r, quality, report);
            out.println("report     " + report);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Super weights found from activation spikes on the calibration text (the first chunks), when protection was
     * asked for and a text given; null lets the job find them data-free.
     */
    private List<dev.quant4j.engine.SuperWeights.SuperWeight> superWeightsFromText(
            dev.quant4j.api.registry.QuantRegistry registry, Path input, int n, PrintWriter err) throws IOException {
        if (!Boolean.TRUE.equals(protectSuperWeights) || transformOptions.calibration == null) {
            return null;
        }
        var found = SuperWeightsCommand.fromText(registry, input, transformOptions.text("--protect-super-weights"),
                transformOptions.calibrationCtx, SuperWeightsCommand.TEXT_CHUNKS, n,
                dev.quant4j.eval.superweight.ActivationSuperWeights.DEFAULT_FACTOR).superWeights();
        err.println("super weights from activations on " + transformOptions.calibration + ": " + found.size());
        return found.stream().map(SuperWeightsCommand::toEngine).toList();
    }

    /** Every file the run reads or writes, before any work: a wrong path fails at once with the reason. */
    private void checkPaths(Positionals p) {
        PathChecks.model(p.input());
        if (imatrix != null) {
            PathChecks.input(imatrix);
        }
        if (tensorTypeFile != null) {
            PathChecks.input(tensorTypeFile);
        }
        if (!dryRun) {
            PathChecks.outputViaTmp(p.output());
        }
        if (report != null) {
            PathChecks.outputViaTmp(report);
        }
    }

    /**
     * TYPE naming the chosen planner (not llama-cpp): only --planner-option settings. Otherwise, as before, the
     * llama-cpp options from TYPE and the llama-quantize flags, with --planner-option settings added.
     */
    private Map<String, String> plannerOptions(dev.quant4j.api.registry.QuantRegistry registry, String chosen,
                                               String type) throws IOException {
        Map<String, String> o = chosen.equals(type.toLowerCase(Locale.ROOT)) && !chosen.equals(FileTypes.LLAMA_CPP)
                ? withoutLlamaFlags(chosen) : llamaCppOptions(registry, type);
        if (targetBpw != null) {
            o.put("target-bpw", Double.toString(targetBpw));
        }
        if (targetSize != null) {
            o.put("target-size", targetSize);
        }
        if (profile != null) {
            o.put("profile", profile);
        }
        for (String kv : plannerOptionArgs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "--planner-option '" + kv
                        + "' is not KEY=VALUE, e.g. --planner-option tensors=experts-only");
            }
            o.merge(kv.substring(0, eq).trim(), kv.substring(eq + 1), (a, b) -> a + "\n" + b);
        }
        return o;
    }

    /** The llama-quantize flags mean nothing to another planner: refuse them rather than ignore them. */
    private Map<String, String> withoutLlamaFlags(String chosen) {
        List<String> given = new ArrayList<>();
        addIf(given, "--tensor-type", !tensorTypes.isEmpty());
        addIf(given, "--tensor-type-file", tensorTypeFile != null);
        addIf(given, "--include-weights", !includeWeights.isEmpty());
        addIf(given, "--exclude-weights", !excludeWeights.isEmpty());
        addIf(given, "--override-kv", !overrideKv.isEmpty());
        addIf(given, "--output-tensor-type", outputTensorType != null);
        addIf(given, "--token-embedding-type", tokenEmbeddingType != null);
        addIf(given, "--pure", pure);
        addIf(given, "--leave-output-tensor", leaveOutputTensor);
        addIf(given, "--allow-requantize", allowRequantize);
        addIf(given, "--keep-split", keepSplit);
        if (!given.isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, String.join(", ", given) + ": llama-cpp planner "
                    + "option(s), but TYPE selects planner '" + chosen + "'; configure it with --planner-option "
                    + "KEY=VALUE");
        }
        return new LinkedHashMap<>();
    }

    private static void addIf(List<String> given, String flag, boolean set) {
        if (set) {
            given.add(flag);
        }
    }

    private Map<String, String> llamaCppOptions(dev.quant4j.api.registry.QuantRegistry registry, String type)
            throws IOException {
        Map<String, String> o = new LinkedHashMap<>(FileTypes.plannerOptions(registry, type));
        List<String> tt = new ArrayList<>(tensorTypes);
        if (tensorTypeFile != null) {
            tt.addAll(dev.quant4j.engine.TensorTypeFile.read(tensorTypeFile));
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

    private static final String IMPORTANCE = "importance";

    /**
     * llama-quantize's positional shape: INPUT [OUTPUT] TYPE [THREADS]; with {@code --planner NAME} other than
     * llama-cpp also INPUT OUTPUT [THREADS], TYPE being the planner.
     */
    record Positionals(Path input, Path output, String type, Integer threads) {
        static Positionals parse(List<String> a, String planner) {
            Path in = Path.of(a.get(0));
            boolean plannerOnly = planner != null && !planner.equals(FileTypes.LLAMA_CPP)
                    && (a.size() == 2 || a.size() == 3 && isInt(a.get(2)));
            if (plannerOnly) {
                return new Positionals(in, Path.of(a.get(1)), planner, a.size() == 3 ? Integer.parseInt(a.get(2)) : null);
            }
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

        /** llama-quantize's name: ggml-model-Q4_K_M.gguf (file types upper-case, plugin names as given). */
        static Path defaultOutput(Path in, String type) {
            Path dir = in.toAbsolutePath().getParent();
            String name = type.matches("[A-Za-z0-9_]+") ? type.toUpperCase(Locale.ROOT) : type;
            return dir.resolve("ggml-model-" + name + ".gguf");
        }
    }
}
