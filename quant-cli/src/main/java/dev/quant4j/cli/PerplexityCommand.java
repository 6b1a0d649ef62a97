package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.eval.metrics.ChunkPlan;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.metrics.PerplexityResult;
import dev.quant4j.eval.metrics.PerplexityRun;
import dev.quant4j.eval.model.KernelWarmUp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quant perplexity}: llama-perplexity's perplexity (and its {@code --kl-divergence-base} file). */
@Command(name = "perplexity", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Perplexity of a model on a text (llama-perplexity compatible).",
        description = {
            "Tokenizes the text (BOS first), cuts it into chunks of -c tokens, replaces each chunk's first token by",
            "BOS, and scores the second half of every chunk, as llama-perplexity does. Prints the running estimate",
            "after each chunk ([1]x,[2]y,...) and the final PPL with its standard error."},
        footer = {"", "Example:", "  quant perplexity -m model-q4_k_m.gguf -f wiki.test.raw -c 512 --chunks 100"})
final class PerplexityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "The model (GGUF).")
    Path model;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The text to evaluate.")
    Path text;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "512", description = "Tokens per chunk (default: 512).")
    int nCtx;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "-1", description = "At most N chunks (default: all).")
    int chunks;

    @Option(names = {"--kl-divergence-base", "--save-all-logits"}, paramLabel = "FILE",
            description = "Also write the base log-probabilities for later KL-divergence runs (llama-perplexity's format).")
    Path saveBase;

    @Mixin
    ForwardPassOptions run;

    @Option(names = "--json", description = "Print the result as JSON instead of llama-perplexity's text.")
    boolean json;

    private final EvalBackend backend;

    PerplexityCommand() {
        this(EvalBackend.DEFAULT);
    }

    PerplexityCommand(EvalBackend backend) {
        this.backend = backend;
    }

    @Override
    public Integer call() throws IOException {
        KernelWarmUp.start();   // the JIT compiles the kernels while the registry loads and the model opens
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] prompt = EvalText.bytes(text);
        String bad = EvalText.warning(text, prompt);
        if (bad != null) {
            err.println("warning: " + bad);
        }
        try (EvalModel m = run.open(backend, model)) {
            int[] tokens = m.tokenizer().encodeUtf8Prefix(prompt, true, false, ChunkPlan.tokensNeeded(nCtx, chunks));
            ChunkPlan plan = ChunkPlan.of(tokens.length, nCtx, chunks);
            if (!json) {
                err.println("perplexity: calculating perplexity over " + plan.chunks() + " chunks, n_ctx=" + nCtx);
            }
            PerplexityRun run = new PerplexityRun(plan, m.chunkBos(),
                    new ChunkProgress(out, err, !json, false, nCtx));
            PerplexityResult r = JobInterrupts.run(() -> run.run(tokens, m.logits(), saveBase));
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("model", model.toString());
                o.put("file", text.toString());
                o.put("n_ctx", nCtx);
                o.put("chunks", r.chunks());
                o.put("tokens_scored", r.tokens());
                o.put("ppl", r.perplexity());
                o.put("ppl_error", Double.isNaN(r.error()) ? null : r.error());
                o.put("mean_nll", r.meanNll());
                o.put("kl_divergence_base", saveBase == null ? null : saveBase.toString());
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
            } else {
                out.println();
                out.println(r.finalLine());
            }
            out.flush();
        }
        return ExitCodes.OK;
    }
}
