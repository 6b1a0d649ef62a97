package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.metrics.KldAccumulator;
import dev.quant4j.eval.metrics.KldBaseReader;
import dev.quant4j.eval.metrics.KldRun;
import dev.quant4j.eval.metrics.KldStatistics;
import dev.quant4j.eval.metrics.PerplexityResult;
import dev.quant4j.eval.metrics.PerplexityRun;
import dev.quant4j.eval.model.KernelWarmUp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quant kld}: llama-perplexity's {@code --kl-divergence} of a model against a base. The base log-probabilities
 * come from a file written earlier ({@code --base-logits}, llama-perplexity's {@code --kl-divergence-base} format)
 * or from running the base model first ({@code --base} with {@code -f}), optionally kept with {@code --save-base}.
 */
@Command(name = "kld", mixinStandardHelpOptions = true, sortOptions = false,
        header = "KL divergence of a model against a base model (llama-perplexity --kl-divergence).",
        description = {
            "Runs the base model and the model on the same chunks and prints llama-perplexity's per-chunk table",
            "and statistics: PPL(Q) vs PPL(base), KL divergence (mean, percentiles), Δp, RMS Δp, same top token.",
            "Run the base once with --save-base FILE, then compare many models with --base-logits FILE."},
        footer = {"", "Examples:",
            "  quant kld --base model-f16.gguf -m model-q4_k_m.gguf -f wiki.test.raw -c 512 --save-base f16.kld",
            "  quant kld --base-logits f16.kld -m model-q2_k.gguf"})
final class KldCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "The model to compare (GGUF).")
    Path model;

    @Option(names = "--base", paramLabel = "BASE", description = "The base model (e.g. F16); needs -f.")
    Path base;

    @Option(names = {"--base-logits", "--kl-divergence-base"}, paramLabel = "FILE",
            description = "Base log-probabilities written earlier (by --save-base or llama-perplexity --kl-divergence-base).")
    Path baseLogits;

    @Option(names = "--save-base", paramLabel = "FILE", description = "Keep the base log-probabilities of --base in FILE.")
    Path saveBase;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The text (with --base).")
    Path text;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "512", description = "Tokens per chunk (default: 512).")
    int nCtx;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "-1", description = "At most N chunks (default: all).")
    int chunks;

    @Mixin
    ForwardPassOptions run;

    @Option(names = "--json", description = "Print the statistics as JSON instead of llama-perplexity's text.")
    boolean json;

    private final EvalBackend backend;

    KldCommand() {
        this(EvalBackend.DEFAULT);
    }

    KldCommand(EvalBackend backend) {
        this.backend = backend;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((base == null) == (baseLogits == null)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "give either --base BASE.gguf (with -f TEXT) or"
                    + " --base-logits FILE");
        }
        if (base != null && text == null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--base needs the text to evaluate: -f FILE");
        }
        if (baseLogits != null && saveBase != null) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--save-base applies to --base runs; the base file exists");
        }
        KernelWarmUp.start();   // the JIT compiles the kernels while the registry loads and the models open
        Path logits = baseLogits;
        Path scratch = null;
        try {
            if (base != null) {
                if (saveBase != null) {
                    logits = saveBase;
                } else {
                    scratch = Files.createTempFile("quant-kld-base", ".kld");
                    logits = scratch;
                }
                PerplexityResult b = runBase(logits, err);
                if (!json) {
                    err.println("base: " + b.finalLine());
                }
            }
            KldStatistics s = compare(logits, out, err);
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
            } else {
                out.println();
                s.report().forEach(out::println);
            }
            out.flush();
            return ExitCodes.OK;
        } finally {
            if (scratch != null) {
                Files.deleteIfExists(scratch);
            }
        }
    }

    private PerplexityResult runBase(Path file, PrintWriter err) throws IOException {
        byte[] prompt = EvalText.bytes(text);
        String bad = EvalText.warning(text, prompt);
        if (bad != null) {
            err.println("warning: " + bad);
        }
        try (EvalModel m = run.openBase(backend, base)) {
            int[] tokens = m.tokenizer().encodeUtf8Prefix(prompt, true, false, ChunkPlan.tokensNeeded(nCtx, chunks));
            ChunkPlan plan = ChunkPlan.of(tokens.length, nCtx, chunks);
            if (!json) {
                err.println("kld: base " + base + " over " + plan.chunks() + " chunks, n_ctx=" + nCtx);
            }
            PerplexityRun run = new PerplexityRun(plan, m.chunkBos(), (c, n, ns, t) -> { });
            return JobInterrupts.run(() -> run.run(tokens, m.logits(), file));
        }
    }

    private KldStatistics compare(Path file, PrintWriter out, PrintWriter err) throws IOException {
        try (KldBaseReader reader = KldBaseReader.open(file);
             EvalModel m = run.open(backend, model)) {
            if (!json) {
                err.println("kld: " + model + " over " + reader.plan().chunks() + " chunks, n_ctx=" + reader.plan().nCtx());
                out.println(KldAccumulator.TABLE_HEADER);
            }
            KldRun run = new KldRun(m.chunkBos(), new ChunkProgress(out, err, !json, true, reader.plan().nCtx()));
            return JobInterrupts.run(() -> run.run(reader, m.logits()));
        }
    }
}
