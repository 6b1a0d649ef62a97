package dev.quant4j.engine;

/**
 * A super weight through the job: its value in the input and in the written output (decoded from the output's
 * bytes after quantization), the type that holds it, and whether the relative error stays within
 * {@link SuperWeightGuard#MAX_RELATIVE_ERROR}.
 *
 * @param plannedType the type the planner chose for the tensor
 * @param type        the type written (a cheaper-than-needed planned type is raised)
 */
public record ProtectedWeight(String tensor, int layer, long row, long column, float before, float after,
                              String plannedType, String type) {
    public double relativeError() {
        return before == 0 ? (after == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs((double) after - before) / Math.abs(before);
    }

    public boolean preserved() {
        return relativeError() <= SuperWeightGuard.MAX_RELATIVE_ERROR;
    }
}
