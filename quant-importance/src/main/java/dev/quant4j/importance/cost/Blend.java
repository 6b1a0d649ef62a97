package dev.quant4j.importance.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The calibrated blend: KLD measured at a few types per tensor, weighted error everywhere; each tensor's weighted
 * error is scaled to KLD units by {@code s = exp(mean log(kld / weighted-error))} over its measured points (a
 * least-squares fit in log space: every point counts by its relative error, so the tiny KLD of a high-bit type
 * is not drowned by a low-bit one). A measured point keeps its measured value. A tensor without a usable point
 * (all measured KLD 0, e.g. below the probe's resolution) takes its class's fit, else the fit of all tensors.
 */
public final class Blend {
    private Blend() {
    }

    /** A tensor's scale and the points it was fitted to. */
    public record Fit(double scale, int points, String source) {
    }

    /**
     * @param weighted weighted-error cost by tensor then type (every candidate)
     * @param kld      measured KLD by tensor then type (a subset)
     * @param classOf  the tensor's class (attention, ffn, ...) for the fallback
     * @return the blended cost by tensor then type, and each tensor's fit
     */
    public static Result blend(Map<String, Map<String, Cost>> weighted, Map<String, Map<String, Double>> kld,
                               Function<String, String> classOf) {
        Map<String, Double> logScale = new HashMap<>();
        Map<String, Integer> points = new HashMap<>();
        Map<String, List<Double>> byClass = new HashMap<>();
        List<Double> allLogs = new ArrayList<>();
        weighted.forEach((tensor, costs) -> {
            double sum = 0;
            int n = 0;
            for (var e : kld.getOrDefault(tensor, Map.of()).entrySet()) {
                Cost we = costs.get(e.getKey());
                if (we != null && we.value() > 0 && e.getValue() > 0) {
                    sum += Math.log(e.getValue() / we.value());
                    n++;
                }
            }
            if (n > 0) {
                logScale.put(tensor, sum / n);
                points.put(tensor, n);
                byClass.computeIfAbsent(classOf.apply(tensor), k -> new ArrayList<>()).add(sum / n);
                allLogs.add(sum / n);
            }
        });
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Map<String, Fit> fits = new LinkedHashMap<>();
        weighted.forEach((tensor, costs) -> {
            Double ls = logScale.get(tensor);
            String source = "fitted";
            if (ls == null) {
                List<Double> cls = byClass.get(classOf.apply(tensor));
                ls = mean(cls != null ? cls : allLogs);
                source = cls != null ? "class fit" : allLogs.isEmpty() ? "unscaled" : "global fit";
            }
            double scale = Math.exp(ls);
            Map<String, Double> measured = kld.getOrDefault(tensor, Map.of());
            Map<String, Double> mine = new LinkedHashMap<>();
            costs.forEach((type, c) -> mine.put(type, measured.containsKey(type) ? measured.get(type) : scale * c.value()));
            out.put(tensor, mine);
            fits.put(tensor, new Fit(scale, points.getOrDefault(tensor, 0), source));
        });
        return new Result(out, fits);
    }

    /** Blended costs by tensor then type, and the scale fitted per tensor. */
    public record Result(Map<String, Map<String, Double>> costs, Map<String, Fit> fits) {
    }

    private static double mean(List<Double> v) {
        return v.isEmpty() ? 0 : v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
