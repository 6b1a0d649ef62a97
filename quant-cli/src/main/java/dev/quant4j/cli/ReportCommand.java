package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.eval.report.QualityReport;
import dev.quant4j.eval.report.QualityText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quant report BASE QUANT -f TEXT}: how much the quantized model lost against its original. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Quality of a quantized model against its original on a text.",
        description = {"Perplexity of both and its change, mean KL divergence and percentiles, same-top-token rate",
            "(llama-perplexity's arithmetic), relative RMSE per tensor and per layer, the original's super weights",
            "(activation spikes) before and after, effective bits per weight."},
        footer = {"", "Example:", "  quant report model-f16.gguf model-q4_k_m.gguf -f wiki.test.raw -c 512 --markdown report.md"})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASE", description = "The original model (GGUF).")
    Path base;

    @Parameters(index = "1", paramLabel = "QUANT", description = "The quantized model (GGUF).")
    Path quantized;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The text.")
    Path text;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "512", description = "Tokens per chunk (default: 512).")
    int nCtx;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "-1", description = "At most N chunks (default: all).")
    int chunks;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0", description = "Threads (default: all cores).")
    int threads;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the report as Markdown (per-layer bar chart).")
    Path markdown;

    @Override
    public Integer call() throws IOException {
        PathChecks.model(base);
        PathChecks.model(quantized);
        PathChecks.input(text);
        if (markdown != null) {
            PathChecks.outputViaTmp(markdown);
        }
        PrintWriter out = spec.commandLine().getOut();
        QualityReport r = QualityCheck.run(Registries.load(), base, quantized, text, nCtx, chunks, threads,
                spec.commandLine().getErr());
        if (json) {
            out.println(json(r));
        } else {
            QualityText.summary(r).forEach(out::println);
        }
        if (markdown != null) {
            writeMarkdown(r, markdown);
            if (!json) {
                out.println("markdown   " + markdown);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String json(QualityReport r) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
    }

    static void writeMarkdown(QualityReport r, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            java.nio.file.Files.writeString(tmp, QualityText.markdown(r), StandardCharsets.UTF_8);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }
}
