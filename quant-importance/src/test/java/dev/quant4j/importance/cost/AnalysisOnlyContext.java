package dev.quant4j.importance.cost;

import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.Plan;
import dev.quant4j.api.spi.PlanContext;
import dev.quant4j.api.spi.PlanRequest;
import java.util.Map;

/**
 * A plan context for the cost analyses' tests: they read tensors and ask for quantizers, one thread; planning or
 * sizing a file from inside an analysis would be a bug, so those calls fail the test.
 */
interface AnalysisOnlyContext extends PlanContext {
    @Override
    default Plan plan(String planner, Map<String, String> options, PlanRequest request) {
        throw new AssertionError("a cost analysis must not run the planner '" + planner + "'");
    }

    @Override
    default long fileBytes(ModelLayout layout) {
        throw new AssertionError("a cost analysis must not size an output file");
    }

    @Override
    default int threads() {
        return 1;
    }
}
