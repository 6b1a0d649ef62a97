package dev.quant4j.integer.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.tensor.DType;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The providers' display names format bits per weight exactly as {@code String.format("%.4g")} does. */
class DisplayNameTest {
    @Test
    void fourDigitsIsTheFormattersPercentG() {
        for (int n = 0; n < 256 * 120; n++) { // every multiple of 1/256 up to 120, half-way cases included
            double v = n / 256.0;
            assertEquals(String.format(Locale.ROOT, "%.4g", v), GgmlQuantizerProvider.fourDigits(v), "v = " + v);
        }
        for (double v : new double[] {Math.PI, 0.3, 4.55, 1e-3, 12345.678}) {
            assertEquals(String.format(Locale.ROOT, "%.4g", v), GgmlQuantizerProvider.fourDigits(v));
        }
    }

    @Test
    void everyTypesNameIsUnchanged() {
        for (DType t : DType.values()) {
            String expected = t.isQuantized()
                    ? String.format(Locale.ROOT, "ggml %s (%d-element blocks, %.4g bits per weight)", t.name(),
                            t.blockSize(), t.bitsPerWeight())
                    : "ggml " + t.name() + " (plain " + (int) t.bitsPerWeight() + "-bit floats)";
            assertEquals(expected, GgmlQuantizerProvider.displayName(t));
        }
    }
}
