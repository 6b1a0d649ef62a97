package dev.quant4j.integer.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Options of the {@code per-layer} planner.
 *
 * @param method    default method for every tensor no other rule decides, {@code name[:key=value...]}
 *                  ({@link MethodSpec}); default {@code int8}
 * @param overrides {@code PATTERN=METHOD} entries tried in order, first match wins ({@link OverrideRule});
 *                  METHOD may be {@code copy}. On the command line the list is comma separated, so patterns
 *                  given there cannot contain ',' (build the record in code for such patterns)
 * @param keep      regular expressions (full match) of tensors written unchanged; default {@code .*norm.*}.
 *                  1-D tensors are always written unchanged
 */
public record PerLayerOptions(String method, List<String> overrides, List<String> keep) {
    public PerLayerOptions {
        Objects.requireNonNull(method, "method must name a quantizer, e.g. int8");
        MethodSpec.parse(method, "method");
        overrides = List.copyOf(overrides == null ? List.of() : overrides);
        keep = List.copyOf(keep == null ? List.of() : keep);
        for (String o : overrides) {
            OverrideRule.parse(o);
        }
        for (String k : keep) {
            OverrideRule.compile(k, "keep");
        }
    }

    public static PerLayerOptions defaults() {
        return new PerLayerOptions("int8", List.of(), List.of(".*norm.*"));
    }

    MethodSpec defaultMethod() {
        return MethodSpec.parse(method, "method");
    }

    List<OverrideRule> overrideRules() {
        List<OverrideRule> out = new ArrayList<>();
        for (String o : overrides) {
            out.add(OverrideRule.parse(o));
        }
        return out;
    }

    List<Pattern> keepPatterns() {
        return keep.stream().map(k -> OverrideRule.compile(k, "keep")).toList();
    }
}
