package dev.quant4j.importance.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BudgetSolverTest {
    /** The best total cost over every combination within the budget, or +inf. */
    private static double bruteForce(List<List<Choice>> groups, long budget) {
        return brute(groups, 0, budget, 0);
    }

    private static double brute(List<List<Choice>> groups, int g, long left, double cost) {
        if (g == groups.size()) {
            return cost;
        }
        double best = Double.POSITIVE_INFINITY;
        for (Choice c : groups.get(g)) {
            if (c.weight() <= left) {
                best = Math.min(best, brute(groups, g + 1, left - c.weight(), cost + c.cost()));
            }
        }
        return best;
    }

    /** Random instances shaped like quantization: more bytes, less cost, with noise and dominated options. */
    private static List<List<Choice>> instance(Random r, int groups, int options, int unit) {
        List<List<Choice>> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            List<Choice> opts = new ArrayList<>();
            double scale = 1 + 10 * r.nextDouble();
            for (int k = 0; k < options; k++) {
                long w = unit * (long) (1 + r.nextInt(40));
                opts.add(new Choice(w, scale * Math.exp(-w / (10.0 * unit)) * (0.5 + r.nextDouble())));
            }
            out.add(opts);
        }
        return out;
    }

    @Test
    void matchesBruteForceOnSmallInstances() {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int unit = trial % 3 == 0 ? 32 : 1 + r.nextInt(5);
            List<List<Choice>> inst = instance(r, 2 + r.nextInt(5), 1 + r.nextInt(5), unit);
            long min = inst.stream().mapToLong(o -> o.stream().mapToLong(Choice::weight).min().orElseThrow()).sum();
            long max = inst.stream().mapToLong(o -> o.stream().mapToLong(Choice::weight).max().orElseThrow()).sum();
            long budget = min + (long) (r.nextDouble() * (max - min + 1));
            Selection s = BudgetSolver.solve(inst, budget);
            double best = bruteForce(inst, budget);
            assertTrue(s.exact(), "small instances are solved at their own granularity");
            assertTrue(s.weight() <= budget, "weight " + s.weight() + " > budget " + budget);
            assertEquals(best, s.cost(), 1e-9 * Math.max(1, best), "trial " + trial + ": " + s + " vs " + best);
        }
    }

    @Test
    void handMadeInstanceWhereGreedyByRatioFails() {
        // ratio greedy upgrades group 0 first (gain 5 for 1 byte) and then cannot afford group 1's big step
        List<List<Choice>> inst = List.of(
                List.of(new Choice(1, 10), new Choice(2, 5)),
                List.of(new Choice(1, 100), new Choice(10, 0)));
        Selection s = BudgetSolver.solve(inst, 11);
        assertEquals(10, s.cost(), 0);
        assertEquals(11, s.weight());
        assertEquals(0, s.pick(0));
        assertEquals(1, s.pick(1));
    }

    @Test
    void coarseUnitsNeverExceedTheBudget() {
        Random r = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            // weights of millions of bytes with gcd 1: far more units than the table allows
            List<List<Choice>> inst = new ArrayList<>();
            for (int g = 0; g < 400; g++) {
                List<Choice> opts = new ArrayList<>();
                for (int k = 0; k < 12; k++) {
                    long w = 1_000_000 + r.nextInt(50_000_000);
                    opts.add(new Choice(w, 1e9 / w * (0.9 + 0.2 * r.nextDouble())));
                }
                inst.add(opts);
            }
            long min = inst.stream().mapToLong(o -> o.stream().mapToLong(Choice::weight).min().orElseThrow()).sum();
            long budget = min + r.nextLong(5_000_000_000L);
            Selection s = BudgetSolver.solve(inst, budget);
            assertTrue(s.weight() <= budget, "weight " + s.weight() + " > budget " + budget);
            // the exact fill leaves less than the smallest possible step unspent or nothing to upgrade to
            assertTrue(!s.exact());
        }
    }

    @Test
    void infeasibleBudgetGivesNull() {
        assertNull(BudgetSolver.solve(List.of(List.of(new Choice(5, 1)), List.of(new Choice(6, 1))), 10));
    }
}
