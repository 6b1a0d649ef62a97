package dev.quant4j.safetensors.hf;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** general.name and general.size_label as gguf-py derives them (directory name; parameter count). */
final class GeneralNames {
    private GeneralNames() {
    }

    /**
     * The directory name with '-' as spaces and all-lower-case words title-cased (Python's str.title): the fallback
     * gguf-py uses without a model card. Its further heuristics (basename, finetune, version) are not reproduced.
     */
    static String name(String dir) {
        String[] words = dir.split("-", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            b.append(i > 0 ? " " : "").append(isLower(w) ? title(w) : w);
        }
        return b.toString();
    }

    private static boolean isLower(String w) {
        boolean cased = false;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (Character.isUpperCase(c)) {
                return false;
            }
            cased |= Character.isLowerCase(c);
        }
        return cased;
    }

    private static String title(String w) {
        StringBuilder b = new StringBuilder();
        boolean prevLetter = false;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            b.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return b.toString();
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
