package dev.quant4j.safetensors.hf;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** general.size_label as gguf-py derives it from the parameter count. */
final class GeneralNames {
    private GeneralNames() {
    }

    /** gguf-py's model_weight_count_rounded_notation(n, min_digits=2): 4,984,064 → "5.0M". */
    static String sizeLabel(long params) {
        double scaled;
        String suffix;
        if (params > 1e12) {
            scaled = params * 1e-12;
            suffix = "T";
        } else if (params > 1e9) {
            scaled = params * 1e-9;
            suffix = "B";
        } else if (params > 1e6) {
            scaled = params * 1e-6;
            suffix = "M";
        } else {
            scaled = params * 1e-3;
            suffix = "K";
        }
        String whole = String.valueOf(Math.round(scaled)).replaceFirst("^0+", "");
        int fix = Math.max(2 - whole.length(), 0);
        return new BigDecimal(scaled).setScale(fix, RoundingMode.HALF_EVEN).toPlainString() + suffix;
    }
}
