package dev.quant4j.importance.solve;

/**
 * One option of a group: its size (in whatever unit the budget is given, e.g. bytes) and its cost.
 *
 * @param weight size, not negative
 * @param cost   estimated cost, finite and not negative
 */
public record Choice(long weight, double cost) {
    public Choice {
        if (weight < 0 || !(cost >= 0) || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("choice weight " + weight + ", cost " + cost);
        }
    }
}
