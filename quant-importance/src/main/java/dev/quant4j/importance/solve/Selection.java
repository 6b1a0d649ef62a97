package dev.quant4j.importance.solve;

import java.util.Arrays;

/**
 * A solution: for every group the index of its chosen option, the total weight and cost.
 *
 * @param exact true when the dynamic programme ran at the instance's own granularity (a proven optimum),
 *              false when sizes were rounded up to a coarser unit (feasible, optimal within the rounding)
 */
public record Selection(int[] picks, long weight, double cost, boolean exact) {
    public Selection {
        picks = picks.clone();
    }

    public int pick(int group) {
        return picks[group];
    }

    @Override
    public int[] picks() {
        return picks.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selection s && Arrays.equals(picks, s.picks) && weight == s.weight && cost == s.cost
                && exact == s.exact;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(picks) * 31 + Long.hashCode(weight);
    }

    @Override
    public String toString() {
        return "Selection" + Arrays.toString(picks) + " weight " + weight + " cost " + cost + (exact ? "" : " (rounded)");
    }
}
