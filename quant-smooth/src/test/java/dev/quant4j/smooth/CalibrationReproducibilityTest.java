package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.transform.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two calibration passes over the same text, with 1 and 2 threads, give bit-identical statistics (so transform
 * outputs reproduce byte for byte).
 */
class CalibrationReproducibilityTest {
    @Test
    void twoPassesAgreeBitForBit() throws Exception {
        Path model = ExactnessCheck.shared("reference/trained/tiny-shakespeare-256-f16.gguf");
        String text = Files.readString(ExactnessCheck.shared("reference/trained/tiny-shakespeare-256-train.txt"))
                .substring(0, 12000);
        Map<String, ChannelStats> a;
        Map<String, ChannelStats> b;
        RunOptions one = RunOptions.defaults().withThreads(1).withMaxContext(128);
        RunOptions two = one.withThreads(2);
        try (ModelRunner r = ModelRunner.open(model, ExactnessCheck.REGISTRY, one)) {
            a = Calibration.collect(r, text, 128, 4, true);
        }
        try (ModelRunner r = ModelRunner.open(model, ExactnessCheck.REGISTRY, two)) {
            b = Calibration.collect(r, text, 128, 4, true);
        }
        assertEquals(a.keySet(), b.keySet());
        for (String w : a.keySet()) {
            assertArrayEquals(a.get(w).absMax(), b.get(w).absMax(), w + " maxima");
            assertArrayEquals(a.get(w).meanSquares(), b.get(w).meanSquares(), w + " mean squares");
            assertArrayEquals(a.get(w).secondMoments(), b.get(w).secondMoments(), w + " second moments");
        }
    }
}
