package dev.quant4j.safetensors.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the header parser with Jazzer. Any input must either parse, with every tensor inside
 * the input, or fail with a {@link CorruptFormatException}; anything else (another exception, an
 * OutOfMemoryError, a hang) is a finding.
 *
 * <p>A normal build replays the seeds in {@code src/test/resources/dev/quant4j/safetensors/io/SafetensorsFuzzTestInputs/parse/}.
 * To fuzz: {@code JAZZER_FUZZ=1 ./mvnw -o -B -pl quant-safetensors -am test -Dtest=SafetensorsFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true}.
 */
class SafetensorsFuzzTest {
    private static final Path NAME = Path.of("fuzz.safetensors");

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] input) {
        MemorySegment seg = MemorySegment.ofArray(input);
        SafetensorsHeader h;
        try {
            h = HeaderParser.read(NAME, seg);
        } catch (CorruptFormatException e) {
            if (e.offset() < 0 || e.offset() > input.length) {
                throw new AssertionError("error offset outside the input: " + e.getMessage(), e);
            }
            return;
        }
        for (TensorInfo t : h.tensors()) {
            new TensorView(t.name(), t.type(), t.shape(), seg.asSlice(h.dataOffset() + t.offset(), t.byteSize()));
        }
    }
}
