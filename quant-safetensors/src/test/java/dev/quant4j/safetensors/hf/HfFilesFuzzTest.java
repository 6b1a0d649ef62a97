package dev.quant4j.safetensors.hf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the Hugging Face side files: tokenizer.model (SentencePiece protobuf),
 * tokenizer.json (BPE vocabulary, merges, added tokens, pre-tokenizer) and config.json (hyper-parameters of every
 * supported architecture, rope scaling, FP8 block size). Any input must parse or fail with a {@link QuantException}
 * ({@link CorruptFormatException} with an offset inside the input for the protobuf); anything else — another
 * exception, an OutOfMemoryError, a hang — is a finding. A normal build replays the seeds in
 * {@code src/test/resources/dev/quant4j/safetensors/hf/HfFilesFuzzTestInputs/}.
 */
class HfFilesFuzzTest {
    private static final Path FILE = Path.of("fuzz");

    @FuzzTest(maxDuration = "5m")
    void tokenizerModel(byte[] input) {
        try {
            SpmModel m = SpmModel.parse(FILE, input);
            m.pieces().forEach(p -> {
                if (p.text() == null) {
                    throw new AssertionError("piece without text");
                }
            });
        } catch (CorruptFormatException e) {
            if (e.offset() < 0 || e.offset() > input.length) {
                throw new AssertionError("error offset outside the input: " + e.getMessage(), e);
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void tokenizerJson(byte[] input) throws IOException {
        try {
            List<Metadata.Entry> out = new ArrayList<>();
            Vocab.bpe(FILE, JsonFiles.parse(FILE, input), Optional.of(64L), out);
        } catch (CorruptFormatException | QuantException expected) {
            // refused with a message
        }
    }

    @FuzzTest(maxDuration = "5m")
    void config(byte[] input) throws IOException {
        try {
            var json = JsonFiles.parse(FILE, input);
            for (HfArch arch : HfArch.values()) {
                LlamaConfig.of(FILE, json, arch).entries(FILE, 1000, dev.quant4j.api.tensor.DType.F16);
            }
            Fp8Scales.blockSize(FILE, json);
        } catch (CorruptFormatException | QuantException expected) {
            // refused with a message
        }
    }
}
