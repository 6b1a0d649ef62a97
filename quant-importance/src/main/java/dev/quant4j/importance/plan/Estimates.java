package dev.quant4j.importance.plan;

import dev.quant4j.importance.cost.Blend;
import dev.quant4j.importance.cost.Cost;
import dev.quant4j.importance.cost.KldAnalysis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The cost the solver minimises, per tensor and type, with both estimators kept for the dry run: the weighted
 * error always, the measured KLD (and each tensor's blend scale) when a kld estimator ran.
 */
final class Estimates {
    private final String estimator;
    private final Map<String, Map<String, Cost>> weighted;
    private final Map<String, Map<String, Double>> costs;
    private final KldAnalysis.Result kld;
    private final Map<String, Blend.Fit> fits;

    private Estimates(String estimator, Map<String, Map<String, Cost>> weighted, Map<String, Map<String, Double>> costs,
                      KldAnalysis.Result kld, Map<String, Blend.Fit> fits) {
        this.estimator = estimator;
        this.weighted = weighted;
        this.costs = costs;
        this.kld = kld;
        this.fits = fits;
    }

    static Estimates weightedError(Map<String, Map<String, Cost>> weighted) {
        Map<String, Map<String, Double>> c = new LinkedHashMap<>();
        weighted.forEach((t, m) -> {
            Map<String, Double> v = new LinkedHashMap<>();
            m.forEach((type, cost) -> v.put(type, cost.value()));
            c.put(t, v);
        });
        return new Estimates("weighted-error", weighted, c, null, Map.of());
    }

    /** kld (every candidate measured) or blend (a few measured, weighted error scaled per tensor). */
    static Estimates measured(String estimator, Map<String, Map<String, Cost>> weighted, KldAnalysis.Result kld,
                              Function<String, String> roleOf) {
        Blend.Result b = Blend.blend(weighted, kld.kld(), roleOf);
        return new Estimates(estimator, weighted, b.costs(), kld, b.fits());
    }

    double cost(String tensor, String type) {
        return costs.get(tensor).get(type);
    }

    /** The RULE column: the solver's cost, and the other estimator's number beside it. */
    String describe(String tensor, String type) {
        Cost we = weighted.get(tensor).get(type);
        String weText = String.format(Locale.ROOT, "%.4g%s", we.value(), we.stdError() > 0
                ? String.format(Locale.ROOT, " ±%.1f%%", 100 * we.stdError() / Math.max(we.value(), Double.MIN_NORMAL))
                : "");
        if (kld == null) {
            return "cost " + weText;
        }
        Double m = kld.kld().getOrDefault(tensor, Map.of()).get(type);
        Blend.Fit f = fits.get(tensor);
        return String.format(Locale.ROOT, "kld %.3g (%s, scale %.3g), weighted-error %s", cost(tensor, type),
                m != null ? "measured" : f.source(), f.scale(), weText);
    }

    List<String> summary() {
        List<String> out = new ArrayList<>();
        if (kld == null) {
            return out;
        }
        long fitted = fits.values().stream().filter(f -> f.points() > 0).count();
        out.add(String.format(Locale.ROOT, "estimator %s: %d KLD points measured through the forward pass, %d read "
                + "from the cache; %d of %d tensors fitted to their own points", estimator, kld.measured(),
                kld.cached(), fitted, fits.size()));
        return out;
    }
}
