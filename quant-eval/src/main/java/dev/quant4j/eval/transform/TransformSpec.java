package dev.quant4j.eval.transform;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transform as the command line names it: {@code NAME[:key=value,...]}, e.g. {@code smoothquant:alpha=0.6}.
 */
public record TransformSpec(String name, Map<String, String> options) {
    public TransformSpec {
        options = Map.copyOf(options);
    }

    public static TransformSpec parse(String spec) {
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        if (name.isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "transform '" + spec + "': missing name");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        if (colon >= 0 && colon + 1 < spec.length()) {
            for (String kv : spec.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new QuantException(ErrorCode.INVALID_OPTION, "transform '" + spec + "': option '" + kv
                            + "' is not key=value");
                }
                opts.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return new TransformSpec(name, opts);
    }
}
