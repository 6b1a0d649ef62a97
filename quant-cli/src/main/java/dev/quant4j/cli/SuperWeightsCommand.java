package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.SuperWeights;
import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.metrics.EvalText;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.superweight.ActivationSuperWeights;
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
import picocli.CommandLine.Spec;

/**
 * {@code quant superweights -m MODEL [-f TEXT] [--imatrix F] [--json]}: super weights from activation spikes on a
 * text, or data-free.
 */
@Command(name = "superweights", mixinStandardHelpOptions = true, header = "Lists the model's super weights.",
        description = {"With -f TEXT (Yu et al. 2024): runs the text and records, per layer, the largest |output| of",
            "ffn_down and the largest |input| on that token; a layer whose spike is at least FACTOR times the median",
            "layer's, and whose single weight (row = output channel, column = input channel) makes at least half of it,",
            "holds a super weight. Every layer's spike is listed.",
            "Without -f (data-free): scores every ffn_down weight by |w|·sqrt(imatrix) of its input channel (|w|",
            "without an imatrix) and lists those scoring at least FACTOR times the 99.99th percentile of all scores."})
final class SuperWeightsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "The model (F16/BF16/F32 GGUF).")
    Path model;

    @Option(names = "--imatrix", paramLabel = "FILE", description = "Importance matrix weighting the scores.")
    Path imatrix;

    @Option(names = "--factor", paramLabel = "X",
            description = "Multiple of the median layer's spike (-f) or of the 99.99th percentile score (default 8).")
    double factor = SuperWeights.DEFAULT_FACTOR;

    @Option(names = {"-f", "--file"}, paramLabel = "TEXT", description = "Calibration text: detect from activation spikes.")
    Path text;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "512", description = "Tokens per chunk (default: 512).")
    int nCtx;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "4", description = "Chunks of the text to run (default: 4; 0: all).")
    int chunks;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0", description = "Threads (default: all cores).")
    int threads;

    /** Chunks of calibration text quantize's protection runs. */
    static final int TEXT_CHUNKS = 4;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PathChecks.model(model);
        if (text != null) {
            PathChecks.input(text);
            printSpikes(fromText(Registries.load(), model, text, nCtx, chunks, threads, factor), out);
            out.flush();
            return ExitCodes.OK;
        }
        SuperWeights.Result r = SuperWeights.scan(Registries.load(), model, imatrix, factor);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", "quant4j-superweights/1");
            m.put("model", model.toString());
            m.put("importance_weighted", r.importanceWeighted());
            m.put("weights_scanned", r.weightsScanned());
            m.put("tail_threshold", r.tailThreshold());
            m.put("factor", r.factor());
            List<Map<String, Object>> found = new ArrayList<>();
            for (SuperWeights.SuperWeight w : r.found()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("tensor", w.tensor());
                e.put("layer", w.layer());
                e.put("row", w.row());
                e.put("column", w.column());
                e.put("value", w.value());
                e.put("score", w.score());
                e.put("ratio", w.ratio());
                found.add(e);
            }
            m.put("super_weights", found);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "scanned    %d ffn_down weights, scores %s; 99.99th percentile %.4g, threshold ×%.3g%n",
                    r.weightsScanned(), r.importanceWeighted() ? "|w|·sqrt(imatrix)" : "|w|", r.tailThreshold(), r.factor());
            if (r.found().isEmpty()) {
                out.println("no super weights");
            } else {
                out.printf("%-24s %5s %7s %7s %12s %8s%n", "TENSOR", "LAYER", "ROW", "COLUMN", "VALUE", "RATIO");
                for (SuperWeights.SuperWeight w : r.found()) {
                    out.printf(Locale.ROOT, "%-24s %5d %7d %7d %12.6g %8.1f%n", w.tensor(), w.layer(), w.row(), w.column(),
                            w.value(), w.ratio());
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Activation-spike detection over the first {@code chunks} chunks of {@code text}. */
    static ActivationSuperWeights.Result fromText(QuantRegistry registry, Path model, Path text, int nCtx, int chunks,
                                                  int threads, double factor) throws IOException {
        RunOptions options = threads > 0 ? RunOptions.defaults().withThreads(threads) : RunOptions.defaults();
        try (EvaluationModel m = EvaluationModel.open(model, registry, options)) {
            int[] tokens = m.tokenizer().encodeUtf8(EvalText.bytes(text), true, false);
            return JobInterrupts.run(() -> ActivationSuperWeights.scan(m, tokens, nCtx, chunks, factor));
        }
    }

    /** The engine's form, for {@code QuantizeJob.superWeights}: score = |output spike|, ratio = over the median. */
    static SuperWeights.SuperWeight toEngine(ActivationSuperWeights.LayerSpike s) {
        return new SuperWeights.SuperWeight(s.tensor(), s.layer(), s.row(), s.column(), s.value(), Math.abs(s.output()),
                s.ratio());
    }

    private void printSpikes(ActivationSuperWeights.Result r, PrintWriter out) throws IOException {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", "quant4j-superweights/2");
            m.put("model", model.toString());
            m.put("mode", "activations");
            m.put("text", text.toString());
            m.put("tokens", r.tokens());
            m.put("median_spike", r.medianSpike());
            m.put("factor", r.factor());
            List<Map<String, Object>> layers = new ArrayList<>();
            for (ActivationSuperWeights.LayerSpike s : r.layers()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("tensor", s.tensor());
                e.put("layer", s.layer());
                e.put("row", s.row());
                e.put("column", s.column());
                e.put("value", s.value());
                e.put("output_spike", s.output());
                e.put("input_spike", s.input());
                e.put("share", s.share());
                e.put("ratio", s.ratio());
                e.put("super_weight", s.superWeight());
                layers.add(e);
            }
            m.put("layers", layers);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            return;
        }
        out.printf(Locale.ROOT, "ran        %d tokens; spike = max |ffn_down output|, median over layers %.4g, threshold ×%.3g%n",
                r.tokens(), r.medianSpike(), r.factor());
        out.printf("%-24s %5s %7s %7s %12s %12s %12s %6s %7s%n", "TENSOR", "LAYER", "ROW", "COLUMN", "VALUE",
                "OUT SPIKE", "IN SPIKE", "SHARE", "RATIO");
        for (ActivationSuperWeights.LayerSpike s : r.layers()) {
            out.printf(Locale.ROOT, "%-24s %5d %7d %7d %12.6g %12.6g %12.6g %6.2f %7.1f%s%n", s.tensor(), s.layer(),
                    s.row(), s.column(), s.value(), s.output(), s.input(), s.share(), s.ratio(),
                    s.superWeight() ? "  SUPER WEIGHT" : "");
        }
        int n = r.superWeights().size();
        out.println(n == 0 ? "no super weights" : n + " super weight(s)");
    }
}
