package dev.quant4j.importance.plan;

import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.Plan;

/** The output layout a plan describes (metadata and every tensor's type, shape and size), for sizing. */
public final class PlanLayouts {
    private PlanLayouts() {
    }

    public static ModelLayout layout(Plan plan) {
        return ImportancePlanner.layout(plan);
    }
}
