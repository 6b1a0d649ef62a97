package dev.quant4j.cli;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.metrics.ChunkListener;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.report.QualityReport;
import dev.quant4j.eval.report.QualityRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Runs quant-eval's {@link QualityRun} for {@code quant report} and {@code quant quantize --eval}. */
final class QualityCheck {
    private QualityCheck() {
    }

    static QualityReport run(QuantRegistry registry, Path base, Path quantized, Path text, int nCtx, int chunks,
                             int threads, PrintWriter err) throws IOException {
        byte[] prompt = EvalText.bytes(text);
        String bad = EvalText.warning(text, prompt);
        if (bad != null) {
            err.println("warning: " + bad);
        }
        RunOptions options = threads > 0 ? RunOptions.defaults().withThreads(threads) : RunOptions.defaults();
        try (EvaluationModel b = EvaluationModel.open(base, registry, options);
             EvaluationModel q = EvaluationModel.open(quantized, registry, options)) {
            int[] tokens = b.tokenizer().encodeUtf8(prompt, true, false);
            err.println("report: " + base + " vs " + quantized + " on " + text + " (" + tokens.length + " tokens, n_ctx="
                    + nCtx + ")");
            QualityRun run = new QualityRun(nCtx, chunks, ChunkListener.NONE);
            return JobInterrupts.run(() -> run.run(b, q, tokens));
        }
    }
}
