package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.imatrix.Imatrix;
import dev.quant4j.eval.imatrix.ImatrixCheckpoint;
import dev.quant4j.eval.imatrix.ImatrixCollector;
import dev.quant4j.eval.imatrix.ImatrixFiles;
import dev.quant4j.eval.imatrix.ImatrixRun;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.metrics.PerplexityAccumulator;
import dev.quant4j.eval.metrics.PerplexityResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quant imatrix}: llama-imatrix. With {@code -m} and {@code -f} it collects an importance matrix from the
 * text; with {@code --in-file} only (no text) it combines or converts existing files, as llama-imatrix does.
 */
@Command(name = "imatrix", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Computes, combines or converts importance matrices (llama-imatrix compatible).",
        description = {
            "Runs the model over the text in chunks of -c tokens (BOS first) and accumulates, for every matrix",
            "multiplication with a weight, the sum of squared inputs per column (per expert for MoE weights).",
            "--in-file files are merged first (sums and counts added). Without -f, the --in-file files are only",
            "combined/converted. The output is written to OUT.tmp and renamed when complete; Ctrl-C leaves nothing."},
        footer = {"", "Examples:",
            "  quant imatrix -m model-f16.gguf -f calibration.txt -o imatrix.gguf -c 512 --chunks 100",
            "  quant imatrix --in-file a.gguf --in-file b.gguf -o ab.gguf        # combine",
            "  quant imatrix --in-file imatrix.gguf --output-format dat -o imatrix.dat -c 512   # convert"})
final class ImatrixCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "The model (GGUF); needed with -f.")
    Path model;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Calibration text; its name (as given) is recorded as the dataset.")
    String text;

    @Option(names = {"-o", "--output-file"}, paramLabel = "OUT", defaultValue = "imatrix.gguf",
            description = "Output file (default: imatrix.gguf).")
    Path output;

    @Option(names = "--output-format", paramLabel = "gguf|dat", defaultValue = "gguf",
            description = "GGUF (default) or llama.cpp's legacy .dat.")
    String outputFormat;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "512",
            description = "Tokens per chunk, recorded as imatrix.chunk_size (default: 512). Also scales legacy --in-file values.")
    int nCtx;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "-1", description = "At most N chunks (default: all).")
    int chunks;

    @Option(names = "--process-output", description = "Also collect output.weight.")
    boolean processOutput;

    @Option(names = "--in-file", paramLabel = "FILE", split = ",",
            description = "An imatrix to merge first (repeatable, or comma-separated).")
    List<Path> inFiles = new ArrayList<>();

    @Option(names = "--no-ppl", description = "Do not compute the perplexity of the chunks.")
    boolean noPpl;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "10",
            description = "Save a checkpoint (OUT.checkpoint.gguf) every N chunks; 0 for none (default: 10).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue a killed run from OUT.checkpoint.gguf (same model, text and options).")
    boolean resume;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0", description = "Threads (default: all cores).")
    int threads;

    @Option(names = "--json", description = "Print a JSON summary instead of text.")
    boolean json;

    private final EvalBackend backend;

    ImatrixCommand() {
        this(EvalBackend.DEFAULT);
    }

    ImatrixCommand(EvalBackend backend) {
        this.backend = backend;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImatrixFiles.Format format = ImatrixFiles.Format.parse(outputFormat);
        if (text == null && inFiles.isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "no text (-f) and no --in-file to combine: nothing to do");
        }
        if (text != null && model == null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "-f needs the model to run: -m MODEL");
        }
        if (format == ImatrixFiles.Format.GGUF && !output.getFileName().toString().endsWith(".gguf")) {
            err.println("warning: saving imatrix using GGUF format with a different suffix than .gguf;"
                    + " use --output-format dat for the legacy format");
        }
        if (resume && text == null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--resume continues a collection: give -m and -f as before");
        }
        QuantRegistry registry = Registries.load();
        Imatrix imatrix = new Imatrix(nCtx);
        if (!resume) {
            for (Path in : inFiles) {
                imatrix.merge(ImatrixFiles.load(in, registry));
            }
        }
        Optional<PerplexityResult> ppl = Optional.empty();
        if (text != null) {
            Collected c = collect(registry, imatrix, out, err);
            imatrix = c.imatrix();
            ppl = c.perplexity();
        } else if (!json) {
            err.println("No prompt provided; combining precomputed matrices only.");
        }
        ImatrixFiles.save(imatrix, output, format, registry);
        java.nio.file.Files.deleteIfExists(checkpoint());
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("output", output.toString());
            o.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
            o.put("entries", imatrix.entries().size());
            o.put("chunk_count", imatrix.chunkCount());
            o.put("chunk_size", imatrix.chunkSize());
            o.put("in_files", inFiles.stream().map(Path::toString).toList());
            o.put("ppl", ppl.map(PerplexityResult::perplexity).orElse(null));
            o.put("ppl_error", ppl.map(PerplexityResult::error).filter(e -> !e.isNaN()).orElse(null));
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
        } else {
            out.println("imatrix    " + output + " (" + format.name().toLowerCase(java.util.Locale.ROOT) + ", "
                    + imatrix.entries().size() + " entries, " + imatrix.chunkCount() + " chunks of " + nCtx + ")");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private record Collected(Imatrix imatrix, Optional<PerplexityResult> perplexity) {
    }

    /** Where checkpoints go: beside the output. */
    private Path checkpoint() {
        return output.resolveSibling(output.getFileName() + ".checkpoint.gguf");
    }

    private Collected collect(QuantRegistry registry, Imatrix fresh, PrintWriter out, PrintWriter err) throws IOException {
        String prompt = EvalText.read(Path.of(text));
        try (EvalModel m = backend.open(registry, model, threads)) {
            int[] tokens = m.tokenizer().encode(prompt, true, false);
            ChunkPlan plan = ChunkPlan.of(tokens.length, nCtx, chunks);
            long fingerprint = ImatrixCheckpoint.fingerprint(tokens, nCtx, plan.chunks(), processOutput, !noPpl,
                    inFiles.stream().map(Path::toString).toList());
            Imatrix imatrix = fresh;
            int from = 0;
            PerplexityAccumulator.State ppl0 = PerplexityAccumulator.State.EMPTY;
            if (resume) {
                if (!java.nio.file.Files.exists(checkpoint())) {
                    throw new QuantException(ErrorCode.INVALID_OPTION, "--resume: no checkpoint " + checkpoint());
                }
                ImatrixCheckpoint cp = ImatrixCheckpoint.read(checkpoint(), registry);
                if (cp.fingerprint() != fingerprint) {
                    throw new QuantException(ErrorCode.INVALID_OPTION, "--resume: " + checkpoint() + " was made with"
                            + " another text, model input, -c, --chunks, --in-file or --process-output/--no-ppl setting");
                }
                imatrix = cp.restore(nCtx);
                from = cp.chunksDone();
                ppl0 = cp.perplexity();
                if (!json) {
                    err.println("compute_imatrix: resuming after chunk " + from + " from " + checkpoint());
                }
            }
            imatrix.promptFile(text);
            if (!json) {
                err.println("compute_imatrix: computing over " + plan.chunks() + " chunks, n_ctx=" + nCtx);
            }
            ImatrixRun run = new ImatrixRun(plan, m.chunkBos(), !noPpl, new ChunkProgress(out, err, !json, false, nCtx));
            Imatrix target = imatrix;
            int start = from;
            PerplexityAccumulator.State state = ppl0;
            Optional<PerplexityResult> r = JobInterrupts.run(() -> run.run(tokens, m.activations(),
                    new ImatrixCollector(target, processOutput), start, state, checkpointEvery,
                    (done, p) -> ImatrixCheckpoint.write(target, done, p, fingerprint, checkpoint(), registry)));
            if (!json) {
                out.println();
                r.ifPresent(p -> out.println(p.finalLine()));
            }
            return new Collected(imatrix, r);
        }
    }
}
