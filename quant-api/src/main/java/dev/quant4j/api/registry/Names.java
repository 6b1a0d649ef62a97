package dev.quant4j.api.registry;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" suggestions for mistyped names. */
final class Names {
    private Names() {
    }

    /** The closest candidate within edit distance 2 (ignoring case, '-' and '_'), if any. */
    static Optional<String> closest(String wanted, Collection<String> candidates) {
        String w = squash(wanted);
        return candidates.stream()
                .filter(c -> distance(squash(c), w) <= Math.max(1, Math.min(2, w.length() / 3)))
                .min(Comparator.comparingInt((String c) -> distance(squash(c), w)).thenComparing(c -> c));
    }

    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
