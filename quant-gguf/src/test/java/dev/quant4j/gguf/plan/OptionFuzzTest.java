package dev.quant4j.gguf.plan;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.MetaValue;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile {@code --override-kv} and {@code --tensor-type} (also each line of {@code --tensor-type-file}) values.
 * Jazzer: any string either parses into a well-formed override or fails with an {@link IllegalArgumentException}
 * or {@link QuantException} (what option validation reports as an invalid option); anything else (a
 * StackOverflowError from a regex, a NumberFormatException, an OutOfMemoryError) is a finding. Seeds replayed in
 * verify from {@code OptionFuzzTestInputs/}; to fuzz one target:
 * {@code JAZZER_FUZZ=1 ./mvnw -o -B -pl quant-gguf -am test -Dtest=OptionFuzzTest#overrideKv
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class OptionFuzzTest {
    private static final List<String> NAMES = List.of("blk.0.ffn_down.weight", "token_embd.weight", "output.weight",
            "blk.31.attn_v.weight");

    @FuzzTest(maxDuration = "5m")
    void overrideKv(String text) {
        if (text == null) {
            return; // Jazzer's null; option values are never null
        }
        KvOverride o;
        try {
            o = KvOverride.parse(text);
        } catch (IllegalArgumentException | QuantException e) {
            return;
        }
        int keyBytes = o.key().getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes < 1 || keyBytes > 127 || !text.startsWith(o.key() + "=")) {
            throw new AssertionError("bad key '" + o.key() + "' from " + text);
        }
        if (o.written() instanceof MetaValue.Text(String v) && v.getBytes(StandardCharsets.UTF_8).length > 127) {
            throw new AssertionError("string value over 127 bytes accepted: " + text);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void tensorType(String text) {
        if (text == null) {
            return;
        }
        TensorTypeOverride o;
        try {
            o = TensorTypeOverride.parse(text);
        } catch (IllegalArgumentException | QuantException e) {
            return;
        }
        for (String n : NAMES) {
            o.matches(n);
        }
    }

    /** A pattern nested deeper than the regex compiler's stack is refused as an invalid option, not a crash. */
    @Test
    void deeplyNestedPatternIsAnInvalidOption() {
        String deep = "(".repeat(100_000) + "a" + ")".repeat(100_000) + "=q8_0";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TensorTypeOverride.parse(deep));
        assertTrue(e.getMessage().startsWith("tensor-type: the pattern is 200001 characters long"), e.getMessage());
    }

    /** A 10 MB string value is refused by its length without being copied or encoded whole. */
    @Test
    void hugeOverrideValueIsRefusedWithoutAllocation() {
        String huge = "general.name=str:" + "x".repeat(10 << 20);
        long before = allocated();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KvOverride.parse(huge));
        long bytes = allocated() - before;
        assertTrue(bytes < 64 * 1024, "allocated " + bytes + " bytes");
        assertTrue(e.getMessage().equals("override-kv general.name: the value is 10485764 characters long; a value is at most "
                + "127 bytes (str) or a number"), e.getMessage());
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
