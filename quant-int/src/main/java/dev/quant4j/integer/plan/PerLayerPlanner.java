package dev.quant4j.integer.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanRequest;
import dev.quant4j.api.spi.Planner;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One method per tensor from simple rules, tried in this order:
 * <ol>
 *   <li>1-D tensors (trailing dimensions of 1 ignored) are copied;</li>
 *   <li>the first override whose pattern equals or fully matches the name decides ({@code copy} copies);</li>
 *   <li>tensors matching a {@code keep} pattern are copied;</li>
 *   <li>everything else gets the default method.</li>
 * </ol>
 * A tensor that is quantized already is copied with a warning when the default chose it and refused when an
 * override named it. Every decision is validated before the plan is returned: the method must be installed and
 * able to take the tensor's shape and options; the error names the tensor and the rule.
 */
public final class PerLayerPlanner implements Planner {
    private final MethodSpec defaultMethod;
    private final List<OverrideRule> overrides;
    private final List<Pattern> keep;
    private final MethodCatalog catalog = new MethodCatalog();

    public PerLayerPlanner(PerLayerOptions options) {
        this.defaultMethod = options.defaultMethod();
        this.overrides = options.overrideRules();
        this.keep = options.keepPatterns();
    }

    /** A decision before validation: the method (null = copy) and the rule text. */
    private record Choice(MethodSpec method, String rule, boolean explicit) {
    }

    @Override
    public Plan plan(PlanRequest request) {
        Set<String> installed = request.installedQuantizers();
        boolean[] used = new boolean[overrides.size()];
        List<TensorPlan> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (TensorInfo t : request.tensors()) {
            Choice c = choose(t, used);
            if (c.method() == null || c.method().isCopy()) {
                out.add(copy(t, c.rule(), ""));
                continue;
            }
            if (!t.type().isFloat()) {
                if (c.explicit()) {
                    throw new QuantException(ErrorCode.ALREADY_QUANTIZED, "tensor '" + t.name() + "' is "
                            + t.type().lowerName() + " already; " + c.rule() + " cannot requantize it. Start from"
                            + " an F32/F16/BF16 model or make the override 'copy'");
                }
                String w = "tensor '" + t.name() + "' is " + t.type().lowerName() + " already; copied unchanged";
                warnings.add(w);
                out.add(copy(t, "source already quantized", w));
                continue;
            }
            requireInstalled(c.method(), t.name(), c.rule(), installed);
            MethodCatalog.Resolved r = catalog.resolve(c.method(), t.name(), t.shape(), c.rule(), request.quantizers());
            out.add(new TensorPlan(t.name(), t.shape(), t.type(), r.target(), c.method().name(),
                    c.method().options(), c.rule() + " -> " + c.method(), r.note()));
        }
        for (int i = 0; i < overrides.size(); i++) {
            OverrideRule o = overrides.get(i);
            if (!used[i]) {
                if (!o.method().isCopy()) {
                    requireInstalled(o.method(), "(none)", "override '" + o + "'", installed);
                }
                warnings.add("override '" + o + "' matched no tensor");
            }
        }
        return new Plan(request.metadata(), out, warnings);
    }

    private Choice choose(TensorInfo t, boolean[] used) {
        if (effectiveRank(t.shape()) <= 1) {
            return new Choice(null, "1-d tensor kept", false);
        }
        for (int i = 0; i < overrides.size(); i++) {
            OverrideRule o = overrides.get(i);
            if (o.matches(t.name())) {
                used[i] = true;
                return new Choice(o.method(), "override '" + o + "'", true);
            }
        }
        for (Pattern k : keep) {
            if (k.matcher(t.name()).matches()) {
                return new Choice(null, "keep '" + k.pattern() + "'", false);
            }
        }
        return new Choice(defaultMethod, "default", false);
    }

    private static int effectiveRank(Shape s) {
        int rank = s.rank();
        while (rank > 1 && s.ne(rank - 1) == 1) {
            rank--;
        }
        return rank;
    }

    private static TensorPlan copy(TensorInfo t, String rule, String note) {
        return new TensorPlan(t.name(), t.shape(), t.type(), t.type(), null, Map.of(), rule, note);
    }

    private static void requireInstalled(MethodSpec m, String tensor, String rule, Set<String> installed) {
        if (!installed.contains(m.name())) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + tensor + "': method '" + m.name()
                    + "' (" + rule + ") is not an installed quantizer. Installed: " + installed.stream().sorted().toList());
        }
    }
}
