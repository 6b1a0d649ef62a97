package dev.quant4j.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.PlannerProvider;
import dev.quant4j.tck.CalibratorProviderTestCase;
import dev.quant4j.tck.FormatProviderTestCase;
import dev.quant4j.tck.PlannerProviderTestCase;
import dev.quant4j.tck.fixtures.CalibratorFixtures;
import dev.quant4j.tck.fixtures.PlannerFixtures;
import dev.quant4j.tck.fixtures.TckFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs the calibrator, format and planner kits against correct and deliberately broken providers. */
class OtherKitsSelfTest {
    // Calibrators
    static final class GoodCalibrator extends CalibratorProviderTestCase {
        @Override protected CalibratorProvider<?> provider() { return new CalibratorFixtures.Good(); }
    }

    static final class LiveViewCalibrator extends CalibratorProviderTestCase {
        @Override protected CalibratorProvider<?> provider() { return new CalibratorFixtures.LiveView(); }
    }

    static final class SumsCalibrator extends CalibratorProviderTestCase {
        @Override protected CalibratorProvider<?> provider() { return new CalibratorFixtures.Sums(); }
    }

    static final class ResettingCalibrator extends CalibratorProviderTestCase {
        @Override protected CalibratorProvider<?> provider() { return new CalibratorFixtures.Resets(); }
    }

    // Formats
    static final class GoodFormat extends FormatProviderTestCase {
        @Override protected FormatProvider provider() { return new TckFormat(); }
    }

    static final class ThrowingSniffFormat extends FormatProviderTestCase {
        @Override protected FormatProvider provider() { return new TckFormat.ThrowingSniff(); }
    }

    static final class LeavesTempFormat extends FormatProviderTestCase {
        @Override protected FormatProvider provider() { return new TckFormat.LeavesTemp(); }
    }

    static final class UncheckedFormat extends FormatProviderTestCase {
        @Override protected FormatProvider provider() { return new TckFormat.Unchecked(); }
    }

    static final class LosesTypesFormat extends FormatProviderTestCase {
        @Override protected FormatProvider provider() { return new TckFormat.LosesTypes(); }
    }

    // Planners: the good one plans the kit's fixture quantizer tck-q8, so planned options are checked too
    abstract static class FixturePlannerCase extends PlannerProviderTestCase {
        @Override protected Map<String, String> options() { return Map.of("quantizer", "tck-q8"); }
        @Override protected Set<String> installedQuantizers() { return Set.of("tck-q8"); }
    }

    static final class GoodPlanner extends FixturePlannerCase {
        @Override protected PlannerProvider<?> provider() { return new PlannerFixtures.Good(); }
    }

    static final class SortingPlanner extends FixturePlannerCase {
        @Override protected PlannerProvider<?> provider() { return new PlannerFixtures.Sorts(); }
    }

    static final class UninstalledPlanner extends FixturePlannerCase {
        @Override protected PlannerProvider<?> provider() { return new PlannerFixtures.Uninstalled(); }
    }

    static final class BadOptionsPlanner extends FixturePlannerCase {
        @Override protected PlannerProvider<?> provider() { return new PlannerFixtures.BadQuantizerOptions(); }
    }

    static final class IgnoresCalibrationPlanner extends FixturePlannerCase {
        @Override protected PlannerProvider<?> provider() { return new PlannerFixtures.IgnoresCalibration(); }
    }

    /** With the kit's defaults: every ggml type installed, quantizer q8_0 (not in this class path). */
    static final class RandomPlanner extends PlannerProviderTestCase {
        @Override protected PlannerProvider<?> provider() { return new PlannerFixtures.Random(); }
    }

    @Test
    void correctProvidersPassEveryCheck() {
        KitRun.of(GoodCalibrator.class).assertFailedExactly()
                .assertSkippedExactly("importedStatisticsWellFormed", "invalidOptionValuesRejectedNamingTheField");
        KitRun.of(GoodFormat.class).assertFailedExactly()
                .assertSkippedExactly("invalidOptionValuesRejectedNamingTheField");
        KitRun.of(GoodPlanner.class).assertFailedExactly().assertSkippedExactly();
    }

    @Test
    void brokenCalibratorsAreCaught() {
        KitRun live = KitRun.of(LiveViewCalibrator.class).assertFailedExactly("finishIsASnapshot");
        assertTrue(live.failure("finishIsASnapshot").contains("immutable snapshot"), live.failure("finishIsASnapshot"));
        KitRun.of(SumsCalibrator.class).assertFailedExactly("statisticsCoverObservedTensors");
        KitRun.of(ResettingCalibrator.class).assertFailedExactly("changingRowLengthRejectedNamingTensor");
    }

    @Test
    void brokenFormatsAreCaught() {
        KitRun sniff = KitRun.of(ThrowingSniffFormat.class)
                .assertFailedExactly("canReadOwnOutputButNotGarbage", "truncatedOutputRejectedWithIOException");
        assertTrue(sniff.failure("canReadOwnOutputButNotGarbage").contains("must answer false"),
                sniff.failure("canReadOwnOutputButNotGarbage"));
        KitRun.of(LeavesTempFormat.class).assertFailedExactly("closeWithoutCommitLeavesNoFiles");
        KitRun unchecked = KitRun.of(UncheckedFormat.class).assertFailedExactly("truncatedOutputRejectedWithIOException");
        assertTrue(unchecked.failure("truncatedOutputRejectedWithIOException").contains("IndexOutOfBoundsException"),
                unchecked.failure("truncatedOutputRejectedWithIOException"));
        KitRun types = KitRun.of(LosesTypesFormat.class).assertFailedExactly("writtenModelReadsBackEqual");
        assertTrue(types.failure("writtenModelReadsBackEqual").contains("tck.int8"),
                types.failure("writtenModelReadsBackEqual"));
    }

    @Test
    void brokenPlannersAreCaught() {
        KitRun.of(SortingPlanner.class).assertFailedExactly("onePlanPerTensorInOrder");
        KitRun uninstalled = KitRun.of(UninstalledPlanner.class).assertFailedExactly("onePlanPerTensorInOrder");
        assertTrue(uninstalled.failure("onePlanPerTensorInOrder").contains("'q9_9' is not installed"),
                uninstalled.failure("onePlanPerTensorInOrder"));
        KitRun.of(BadOptionsPlanner.class).assertFailedExactly("plannedOptionsAcceptedByInstalledQuantizers");
        KitRun.of(IgnoresCalibrationPlanner.class).assertFailedExactly("calibrationCapabilityMatchesBehaviour");
        KitRun.of(RandomPlanner.class).assertFailedExactly("deterministic")
                .assertSkippedExactly("plannedOptionsAcceptedByInstalledQuantizers");
    }
}
