package dev.quant4j.tck.selftest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.tck.QuantizerProviderTestCase;
import dev.quant4j.tck.fixtures.QuantizerFixtures;
import java.lang.foreign.Arena;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link QuantizerProviderTestCase} against correct and deliberately broken quantizers: correct ones
 * pass every check, each broken one fails exactly the checks that catch its flaw.
 */
class QuantizerKitSelfTest {
    // Kit subclasses, written as a plugin author would. Nested, so surefire does not run them by itself.
    static final class Good extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.Good(); }
    }

    static final class GoodImatrix extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.GoodImatrix(); }
    }

    static final class Unregistered extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.Unregistered(); }
    }

    static final class NonDeterministic extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.NonDeterministic(); }
    }

    static final class MutatesImportance extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.MutatesImportance(); }
    }

    static final class LyingDequantize extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.LyingDequantize(); }
    }

    static final class HiddenDequantize extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.HiddenDequantize(); }
    }

    static final class AcceptsNonFinite extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.AcceptsNonFinite(); }
    }

    /** The same quantizer, whose author documents that non-finite input passes through. */
    static final class AcceptsNonFiniteAsDocumented extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.AcceptsNonFinite(); }

        @Override
        protected void assertNonFiniteHandled(Quantizer q, TensorView input, float[] importance, long row, long column,
                                              float value) {
            try (Arena arena = Arena.ofConfined()) {
                assertDoesNotThrow(() -> q.quantize(input, importance, arena));
            }
        }
    }

    static final class SharedScratch extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.SharedScratch(); }
    }

    static final class RangeScale extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.RangeScale(); }
    }

    static final class IgnoresMissingCalibration extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.IgnoresMissingCalibration(); }
    }

    static final class F32Only extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.F32Only(); }
    }

    static final class GgmlLie extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.GgmlLie(); }
    }

    static final class SloppyOptions extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.SloppyOptions(); }
    }

    static final class WrongSpiLevel extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.WrongSpiLevel(); }
    }

    static final class BadName extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.BadName(); }
    }

    /** The correct quantizer configured to one level: far too lossy for 8.5 bits per weight. */
    static final class Lossy extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.Good(); }
        @Override protected Map<String, String> options() { return Map.of("levels", "1"); }
    }

    /** The same, with the author declaring the loose bound such a method has. */
    static final class LossyWithDeclaredBound extends QuantizerProviderTestCase {
        @Override protected QuantizerProvider<?> provider() { return new QuantizerFixtures.Good(); }
        @Override protected Map<String, String> options() { return Map.of("levels", "1"); }
        @Override protected double maxRelativeRmse() { return 0.9; }
    }

    @Test
    void correctQuantizersPassEveryCheck() {
        KitRun.of(Good.class).assertFailedExactly().assertSkippedExactly();
        KitRun.of(GoodImatrix.class).assertFailedExactly().assertSkippedExactly();
    }

    @Test
    void unregisteredProviderIsNotDiscoverable() {
        KitRun run = KitRun.of(Unregistered.class).assertFailedExactly("discoverableByName");
        assertTrue(run.failure("discoverableByName").contains("@AutoService"), run.failure("discoverableByName"));
    }

    @Test
    void nonDeterministicQuantizerIsCaught() {
        KitRun.of(NonDeterministic.class).assertFailedExactly("deterministic", "rowIndependentCapabilityHolds",
                "sourceTypeDoesNotMatter", "threadSafe");
    }

    @Test
    void mutatedImportanceIsCaught() {
        KitRun run = KitRun.of(MutatesImportance.class).assertFailedExactly("inputUntouched");
        assertTrue(run.failure("inputUntouched").contains("importance"), run.failure("inputUntouched"));
    }

    @Test
    void lyingDequantizeCapabilityIsCaught() {
        KitRun.of(LyingDequantize.class).assertFailedExactly("dequantizeCapabilityMatchesBehaviour",
                "inputUntouched", "roundTripWithinDeclaredBound", "rowIndependentCapabilityHolds");
        KitRun.of(HiddenDequantize.class).assertFailedExactly("dequantizeCapabilityMatchesBehaviour")
                .assertSkippedExactly("roundTripWithinDeclaredBound");
    }

    @Test
    void silentlyAcceptedNaNIsCaughtUnlessDocumented() {
        KitRun run = KitRun.of(AcceptsNonFinite.class).assertFailedExactly("nonFiniteInputHandled");
        assertTrue(run.failure("nonFiniteInputHandled").contains("NaN"), run.failure("nonFiniteInputHandled"));
        KitRun.of(AcceptsNonFiniteAsDocumented.class).assertFailedExactly();
    }

    @Test
    void sharedScratchBufferIsCaught() {
        KitRun.of(SharedScratch.class).assertFailedExactly("threadSafe");
    }

    @Test
    void rowIndependenceLieIsCaught() {
        KitRun.of(RangeScale.class).assertFailedExactly("rowIndependentCapabilityHolds");
    }

    @Test
    void calibrationLieIsCaught() {
        KitRun.of(IgnoresMissingCalibration.class).assertFailedExactly("calibrationCapabilityMatchesBehaviour");
    }

    @Test
    void sourceTypeBlindnessIsCaught() {
        KitRun.of(F32Only.class).assertFailedExactly("sourceTypeDoesNotMatter");
    }

    @Test
    void ggmlExactLieIsCaught() {
        KitRun.of(GgmlLie.class).assertFailedExactly("ggmlExactCapabilityMatchesEncoding");
    }

    @Test
    void sloppyOptionParsingIsCaught() {
        KitRun.of(SloppyOptions.class).assertFailedExactly("invalidOptionValuesRejectedNamingTheField",
                "unknownOptionRejectedNamingIt");
    }

    @Test
    void badDescriptorsAreCaught() {
        KitRun spi = KitRun.of(WrongSpiLevel.class).assertFailedExactly("descriptorWellFormed", "discoverableByName");
        assertTrue(spi.failure("descriptorWellFormed").contains("SPI level " + (dev.quant4j.api.spi.Spi.LEVEL + 1)), spi.failure("descriptorWellFormed"));
        KitRun name = KitRun.of(BadName.class);
        assertTrue(name.failure("descriptorWellFormed").contains("Bad Name"), String.valueOf(name.failures()));
    }

    @Test
    void errorBeyondTheBoundIsCaughtUnlessDeclared() {
        KitRun run = KitRun.of(Lossy.class).assertFailedExactly("roundTripWithinDeclaredBound");
        assertTrue(run.failure("roundTripWithinDeclaredBound").contains("exceeds the bound 0.05"),
                run.failure("roundTripWithinDeclaredBound"));
        KitRun.of(LossyWithDeclaredBound.class).assertFailedExactly();
    }
}
