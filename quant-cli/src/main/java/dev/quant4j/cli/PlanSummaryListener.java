package dev.quant4j.cli;

import dev.quant4j.api.spi.Plan;
import dev.quant4j.engine.ProgressListener;
import dev.quant4j.engine.TensorResult;
import java.util.List;

/** Passes progress on and keeps the planner's summary lines (frontier, cache use) for the final output. */
record PlanSummaryListener(ProgressListener next, List<String> summary) implements ProgressListener {
    @Override
    public void planned(Plan plan, long inputBytes) {
        summary.addAll(plan.summary());
        next.planned(plan, inputBytes);
    }

    @Override
    public void tensorDone(int index, int count, TensorResult result, long inputBytesDone) {
        next.tensorDone(index, count, result, inputBytesDone);
    }

    @Override
    public void progress(long inputBytesDone) {
        next.progress(inputBytesDone);
    }

    @Override
    public void warning(String message) {
        next.warning(message);
    }
}
