package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.regex.Pattern;

/** Quantizing into native memory the way the engine does, and comparing the bytes. */
final class Quant {
    private Quant() {
    }

    /** The whole tensor, into a fresh 32-byte aligned native segment of exactly encodedBytes. */
    static byte[] whole(Quantizer q, TensorView src, float[] importance) {
        long size = q.encodedBytes(src.name(), src.shape());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(size, 32);
            q.quantize(src, 0, src.rows(), importance, dst);
            return dst.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Rows {@code [first, first + count)} alone, into a segment of {@code count * rowBytes}. */
    static byte[] rows(Quantizer q, TensorView src, long first, long count, float[] importance, long rowBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(count * rowBytes, 32);
            q.quantize(src, first, count, importance, dst);
            return dst.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " bytes instead of " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(what + ": first difference at byte " + i + " of " + expected.length + " (" + (expected[i] & 0xFF)
                        + " vs " + (actual[i] & 0xFF) + ")");
            }
        }
    }

    /** True when {@code number} appears in {@code text} as a whole number (not as part of a longer one). */
    static boolean mentionsNumber(String text, long number) {
        return Pattern.compile("(?<![0-9])" + number + "(?![0-9])").matcher(text).find();
    }
}
