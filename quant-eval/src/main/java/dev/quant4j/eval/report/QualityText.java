package dev.quant4j.eval.report;

import dev.quant4j.eval.metrics.Quantiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link QualityReport}: console summary lines and a Markdown page with a per-layer bar chart. */
public final class QualityText {
    /** Characters of the longest bar. */
    static final int BAR = 40;

    private QualityText() {
    }

    /** The console summary. */
    public static List<String> summary(QualityReport r) {
        List<String> l = new ArrayList<>();
        Quantiles q = r.kld().kldQuantiles();
        l.add(f("perplexity %.4f -> %.4f (%+.2f %%) over %d tokens, n_ctx=%d", r.basePerplexity().perplexity(),
                r.kld().perplexity().value(), r.perplexityChangePercent(), r.kld().tokens(), r.nCtx()));
        l.add(f("KLD        mean %.6f ± %.6f, median %.6f, p90 %.6f, p99 %.6f, max %.6f", r.kld().kld().value(),
                r.kld().kld().uncertainty(), q.median(), q.p90(), q.p99(), q.maximum()));
        l.add(f("same top   %.2f %%", 100 * r.kld().sameTop().value()));
        l.add(f("bpw        %.4f (tensor data), %.4f (whole file, %d bytes)", r.bitsPerWeight(), r.fileBitsPerWeight(),
                r.fileBytes()));
        l.add(superWeightLine(r));
        for (QualityReport.WeightCheck w : r.superWeights()) {
            l.add(f("  %s[%d,%d] %.6g -> %.6g (%.3f %%)", w.tensor(), w.row(), w.column(), w.before(), w.after(),
                    100 * w.relativeError()));
        }
        double max = r.layers().stream().mapToDouble(QualityReport.LayerError::relativeRmse).max().orElse(0);
        for (QualityReport.LayerError e : r.layers()) {
            l.add(f("layer %-4s rel. RMSE %.4f %s", e.layer() < 0 ? "-" : String.valueOf(e.layer()), e.relativeRmse(),
                    bar(e.relativeRmse(), max)));
        }
        return l;
    }

    /** The Markdown page: headline table, KLD percentiles, per-layer bar chart, per-tensor table, super weights. */
    public static String markdown(QualityReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Quality report\n\n");
        sb.append("Original `").append(r.base()).append("`, quantized `").append(r.quantized()).append("`, ")
                .append(r.kld().chunks()).append(" chunks of ").append(r.nCtx()).append(" tokens (")
                .append(r.kld().tokens()).append(" scored).\n\n");
        sb.append("| measure | value |\n|---|---|\n");
        row(sb, "perplexity, original", f("%.4f ± %.4f", r.basePerplexity().perplexity(), r.basePerplexity().error()));
        row(sb, "perplexity, quantized", f("%.4f ± %.4f", r.kld().perplexity().value(), r.kld().perplexity().uncertainty()));
        row(sb, "Δ perplexity", f("%+.2f %%", r.perplexityChangePercent()));
        row(sb, "mean KLD", f("%.6f ± %.6f", r.kld().kld().value(), r.kld().kld().uncertainty()));
        row(sb, "same top token", f("%.2f %%", 100 * r.kld().sameTop().value()));
        row(sb, "bits per weight (tensor data)", f("%.4f", r.bitsPerWeight()));
        row(sb, "bits per weight (whole file)", f("%.4f (%d bytes)", r.fileBitsPerWeight(), r.fileBytes()));
        row(sb, "super weights kept within 1 %", r.superWeightsPreserved() + " of " + r.superWeights().size());
        Quantiles q = r.kld().kldQuantiles();
        sb.append("\n## KLD percentiles\n\n| 1 % | 10 % | median | 90 % | 95 % | 99 % | 99.9 % | max |\n")
                .append("|---|---|---|---|---|---|---|---|\n")
                .append(f("| %.6f | %.6f | %.6f | %.6f | %.6f | %.6f | %.6f | %.6f |%n", q.p1(), q.p10(), q.median(),
                        q.p90(), q.p95(), q.p99(), q.p99_9(), q.maximum()));
        sb.append("\n## Error per layer\n\nRelative RMSE of the layer's weights (element-weighted over its tensors).\n\n```\n");
        double max = r.layers().stream().mapToDouble(QualityReport.LayerError::relativeRmse).max().orElse(0);
        for (QualityReport.LayerError e : r.layers()) {
            sb.append(f("%-6s %.4f %s%n", e.layer() < 0 ? "other" : "blk." + e.layer(), e.relativeRmse(),
                    bar(e.relativeRmse(), max)));
        }
        sb.append("```\n\n## Tensors\n\n| tensor | type | bpw | relative RMSE |\n|---|---|---|---|\n");
        for (QualityReport.TensorError t : r.tensors()) {
            sb.append(f("| `%s` | %s → %s | %.4f | %.4f |%n", t.name(), t.baseType(), t.type(), t.bitsPerWeight(),
                    t.relativeRmse()));
        }
        sb.append("\n## Super weights\n\n");
        if (r.superWeights().isEmpty()) {
            sb.append("None found in the original's activations.\n");
        } else {
            sb.append("| tensor | row | column | original | quantized | relative error |\n|---|---|---|---|---|---|\n");
            for (QualityReport.WeightCheck w : r.superWeights()) {
                sb.append(f("| `%s` | %d | %d | %.6g | %.6g | %.3f %% |%n", w.tensor(), w.row(), w.column(), w.before(),
                        w.after(), 100 * w.relativeError()));
            }
        }
        return sb.toString();
    }

    private static String superWeightLine(QualityReport r) {
        return r.superWeights().isEmpty() ? "super wts  none found"
                : f("super wts  %d of %d kept within 1 %%", r.superWeightsPreserved(), r.superWeights().size());
    }

    /** A bar of {@code value / max · BAR} full blocks (at least one for a non-zero value). */
    static String bar(double value, double max) {
        if (!(max > 0) || !(value > 0)) {
            return "";
        }
        int n = (int) Math.max(1, Math.round(value / max * BAR));
        return "█".repeat(Math.min(BAR, n));
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
