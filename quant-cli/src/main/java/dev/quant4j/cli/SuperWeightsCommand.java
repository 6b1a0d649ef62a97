package dev.quant4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quant4j.engine.SuperWeights;
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

/** {@code quant superweights -m MODEL [--imatrix F] [--json]}: data-free super-weight detection. */
@Command(name = "superweights", mixinStandardHelpOptions = true, header = "Lists the model's super weights (data-free).",
        description = {"Scores every ffn_down weight by |w|·sqrt(imatrix) of its input channel (|w| without an imatrix)",
            "and lists those scoring at least FACTOR times the 99.99th percentile of all scores: layer, row (output",
            "channel), column (input channel), value. Detection from activation spikes on calibration text needs the",
            "forward pass and comes later."})
final class SuperWeightsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "The model (F16/BF16/F32 GGUF).")
    Path model;

    @Option(names = "--imatrix", paramLabel = "FILE", description = "Importance matrix weighting the scores.")
    Path imatrix;

    @Option(names = "--factor", paramLabel = "X", description = "Multiple of the 99.99th percentile score (default 8).")
    double factor = SuperWeights.DEFAULT_FACTOR;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
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
}
