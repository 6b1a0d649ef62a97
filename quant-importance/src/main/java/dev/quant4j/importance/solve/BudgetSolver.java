package dev.quant4j.importance.solve;

import java.util.Arrays;
import java.util.List;

/**
 * Chooses one option per group minimising the total cost with the total weight at most a budget: the
 * multiple-choice knapsack problem.
 *
 * <p>Method: a dynamic programme over the budget in units of {@code u}. With {@code u} the greatest common
 * divisor of all weights the answer is a proven optimum. When the budget holds more units than the memory and
 * time limits allow ({@link #MAX_CELLS} cells of {@code groups × units}), {@code u} grows and each weight is
 * rounded <em>up</em> to whole units, so the answer can never exceed the budget; the rounding can waste at
 * most {@code groups × u} of it, which a final exact fill then spends: repeatedly apply the single upgrade
 * (one group to another option) with the largest cost decrease that still fits the true remaining budget.
 *
 * <p>Why not Lagrangian relaxation alone: a λ sweep only reaches options on each group's lower convex hull
 * and leaves an integrality gap at the budget; the programme has no gap at its granularity, and at the sizes
 * of real models (hundreds of groups, 10-20 options) it runs in well under a second.
 */
public final class BudgetSolver {
    /** Cells of the choice table ({@code groups × (units + 1)} bytes): 64 MiB at most. */
    static final long MAX_CELLS = 64L << 20;
    /** Inner-loop steps ({@code groups × options × units}). */
    static final long MAX_STEPS = 1_500_000_000L;

    private BudgetSolver() {
    }

    /**
     * Solves the instance.
     *
     * @param groups options per group (each group needs at least one, at most 127)
     * @param budget the largest total weight allowed
     * @return the selection, or null when even the lightest option of every group exceeds the budget
     */
    public static Selection solve(List<List<Choice>> groups, long budget) {
        int g = groups.size();
        long minTotal = 0;
        long gcd = 0;
        int maxOptions = 1;
        for (List<Choice> opts : groups) {
            if (opts.isEmpty() || opts.size() > 127) {
                throw new IllegalArgumentException("every group needs 1..127 options, got " + opts.size());
            }
            maxOptions = Math.max(maxOptions, opts.size());
            minTotal += opts.stream().mapToLong(Choice::weight).min().orElseThrow();
            for (Choice c : opts) {
                gcd = gcd(gcd, c.weight());
            }
        }
        if (minTotal > budget) {
            return null;
        }
        if (g == 0) {
            return new Selection(new int[0], 0, 0, true);
        }
        long unit = Math.max(1, gcd);
        long cellLimit = Math.min(MAX_CELLS / g, MAX_STEPS / ((long) g * maxOptions)) - 1;
        boolean exact = budget / unit <= cellLimit;
        if (!exact) {
            unit = Math.ceilDiv(budget, Math.max(1, cellLimit));
        }
        int units = Math.toIntExact(budget / unit);
        int[] picks = program(groups, unit, units);
        if (picks == null) {
            // rounding up made the lightest plan too heavy: fall back to the lightest option everywhere
            picks = new int[g];
            for (int i = 0; i < g; i++) {
                picks[i] = lightest(groups.get(i));
            }
        }
        fill(groups, picks, budget);
        return of(groups, picks, exact);
    }

    private static int[] program(List<List<Choice>> groups, long unit, int units) {
        int g = groups.size();
        double[] prev = new double[units + 1]; // no group yet: cost 0 at every budget
        double[] cur = new double[units + 1];
        byte[][] choice = new byte[g][units + 1];
        for (int i = 0; i < g; i++) {
            List<Choice> opts = groups.get(i);
            int k = opts.size();
            int[] w = new int[k];
            double[] c = new double[k];
            for (int j = 0; j < k; j++) {
                long wu = Math.ceilDiv(opts.get(j).weight(), unit);
                w[j] = wu > units ? Integer.MAX_VALUE : (int) wu;
                c[j] = opts.get(j).cost();
            }
            Arrays.fill(cur, Double.POSITIVE_INFINITY);
            byte[] ch = choice[i];
            for (int j = 0; j < k; j++) {
                int wj = w[j];
                if (wj == Integer.MAX_VALUE) {
                    continue;
                }
                double cj = c[j];
                for (int b = wj; b <= units; b++) {
                    double v = prev[b - wj] + cj;
                    if (v < cur[b]) {
                        cur[b] = v;
                        ch[b] = (byte) j;
                    }
                }
            }
            double[] t = prev;
            prev = cur;
            cur = t;
        }
        if (Double.isInfinite(prev[units])) {
            return null;
        }
        int[] picks = new int[g];
        int b = units;
        for (int i = g - 1; i >= 0; i--) {
            int j = choice[i][b];
            picks[i] = j;
            b -= (int) Math.ceilDiv(groups.get(i).get(j).weight(), unit);
        }
        return picks;
    }

    /** Spends what rounding left: the best single upgrade that fits, until none does. */
    private static void fill(List<List<Choice>> groups, int[] picks, long budget) {
        long used = 0;
        for (int i = 0; i < picks.length; i++) {
            used += groups.get(i).get(picks[i]).weight();
        }
        while (true) {
            int bestGroup = -1;
            int bestOption = -1;
            double bestGain = 0;
            for (int i = 0; i < picks.length; i++) {
                Choice now = groups.get(i).get(picks[i]);
                for (int j = 0; j < groups.get(i).size(); j++) {
                    Choice c = groups.get(i).get(j);
                    double gain = now.cost() - c.cost();
                    if (gain > bestGain && used - now.weight() + c.weight() <= budget) {
                        bestGain = gain;
                        bestGroup = i;
                        bestOption = j;
                    }
                }
            }
            if (bestGroup < 0) {
                return;
            }
            used += groups.get(bestGroup).get(bestOption).weight() - groups.get(bestGroup).get(picks[bestGroup]).weight();
            picks[bestGroup] = bestOption;
        }
    }

    private static Selection of(List<List<Choice>> groups, int[] picks, boolean exact) {
        long w = 0;
        double c = 0;
        for (int i = 0; i < picks.length; i++) {
            Choice ch = groups.get(i).get(picks[i]);
            w += ch.weight();
            c += ch.cost();
        }
        return new Selection(picks, w, c, exact);
    }

    private static int lightest(List<Choice> opts) {
        int best = 0;
        for (int j = 1; j < opts.size(); j++) {
            Choice c = opts.get(j);
            Choice b = opts.get(best);
            if (c.weight() < b.weight() || c.weight() == b.weight() && c.cost() < b.cost()) {
                best = j;
            }
        }
        return best;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
