package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.imatrix.ImatrixFiles;
import dev.quant4j.eval.imatrix.ImatrixJob;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.metrics.PerplexityResult;
import dev.quant4j.eval.model.KernelWarmUp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--parse-special", description = "Recognise special tokens written in the text (e.g. <s>).")
    boolean parseSpecial;

    @Option(names = "--no-ppl", description = "Do not compute the perplexity of the chunks (nor, without --process-output, any logits).")
    boolean noPpl;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Save a checkpoint (OUT.checkpoint.gguf) every N chunks; 0 for none (default: 10; with"
                    + " layer streaming none: each checkpoint costs one more read of the model).")
    Integer checkpointEvery;

    @Option(names = "--resume", description = "Continue a killed run from OUT.checkpoint.gguf (same model, text and options).")
    boolean resume;

    @Mixin
    ForwardPassOptions run;

    @Option(names = "--json", description = "Print a JSON summary instead of text.")
    boolean json;

    /** Checkpoint interval without layer streaming, in chunks. */
    static final int DEFAULT_CHECKPOINT_EVERY = 10;

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
        if (text != null && model == null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "-f needs the model to run: -m MODEL");
        }
        if (text != null) {
            KernelWarmUp.start();   // the JIT compiles the kernels while the registry loads and the model opens
        }
        QuantRegistry registry = Registries.load();
        ImatrixJob.Builder job = ImatrixJob.builder(registry).output(output).format(format).chunkSize(nCtx)
                .maxChunks(chunks).processOutput(processOutput).perplexity(!noPpl).resume(resume).listener(new ChunkProgress(out, err, !json, false, nCtx));
        inFiles.forEach(job::inFile);
        if (text == null && inFiles.isEmpty()) {
            job.build(); // refuses: nothing to do
        }
        if (format == ImatrixFiles.Format.GGUF && !output.getFileName().toString().endsWith(".gguf")) {
            err.println("warning: saving imatrix using GGUF format with a different suffix than .gguf;"
                    + " use --output-format dat for the legacy format");
        }
        ImatrixJob.Result r;
        if (text == null) {
            if (!json) {
                err.println("No prompt provided; combining precomputed matrices only.");
            }
            r = job.build().run();
        } else {
            byte[] prompt = EvalText.bytes(Path.of(text));
            String bad = EvalText.warning(Path.of(text), prompt);
            if (bad != null) {
                err.println("warning: " + bad);
            }
            try (EvalModel m = run.open(backend, model)) {
                int[] tokens = m.tokenizer().encodeUtf8Prefix(prompt, true, parseSpecial,
                        ChunkPlan.tokensNeeded(nCtx, chunks));
                boolean streaming = m.activations().layerStreaming();
                int every = checkpointEvery != null ? checkpointEvery : streaming ? 0 : DEFAULT_CHECKPOINT_EVERY;
                job.collect(tokens, m.activations(), m.chunkBos(), text).checkpointEvery(every);
                if (!json) {
                    err.println("compute_imatrix: computing over " + ChunkPlan.of(tokens.length, nCtx, chunks).chunks()
                            + " chunks, n_ctx=" + nCtx + (streaming ? ", layer streaming" + (every > 0
                            ? " in passes of " + every + " chunks" : "") : "")
                            + (resume ? ", resuming from " + ImatrixJob.checkpointOf(output) : ""));
                }
                ImatrixJob built = job.build();
                r = JobInterrupts.run(built::run);
            }
            if (!json) {
                if (r.resumedAfter() > 0) {
                    err.println("compute_imatrix: resumed after chunk " + r.resumedAfter());
                }
                out.println();
                r.perplexity().ifPresent(p -> out.println(p.finalLine()));
            }
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("output", output.toString());
            o.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
            o.put("entries", r.entries());
            o.put("chunk_count", r.chunkCount());
            o.put("chunk_size", nCtx);
            o.put("in_files", inFiles.stream().map(Path::toString).toList());
            o.put("resumed_after", r.resumedAfter());
            o.put("ppl", r.perplexity().map(PerplexityResult::perplexity).orElse(null));
            o.put("ppl_error", r.perplexity().map(PerplexityResult::error).filter(e -> !e.isNaN()).orElse(null));
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
        } else {
            out.println("imatrix    " + output + " (" + format.name().toLowerCase(java.util.Locale.ROOT) + ", "
                    + r.entries() + " entries, " + r.chunkCount() + " chunks of " + nCtx + ")");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
