package dev.quant4j.eval.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Greedy generation against llama-completion's stdout (reference/eval/generate): the prompt as llama.cpp
 * detokenizes it, 48 generated pieces, then "\n\n". The prompt ids are BOS + the 4 tokens of "Once upon a
 * time" (the first tokens of reference/eval/logits/stories260K.ids, whose sentence starts with those words).
 */
class GenerationTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(GenerationTest.class.getClassLoader());

    private static Path shared(String relative) {
        Path p = Path.of(System.getProperty("quant4j.shared", "../../shared")).resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), p + " is absent: llama.cpp reference test skipped");
        return p;
    }

    @Test
    void greedyStories260KMatchesLlamaCompletion() throws IOException {
        String expected = Files.readString(shared("reference/eval/generate/stories260K.once-upon-a-time.txt"));
        int[] prompt = {1, 403, 407, 261, 378};
        try (ModelRunner model = ModelRunner.open(shared("models/stories260K.gguf"), REGISTRY,
                RunOptions.defaults().withThreads(2))) {
            TokenPieces pieces = TokenPieces.fromMetadata(model.metadata());
            assertEquals(" Once upon a time", pieces.text(prompt));
            List<Integer> streamed = new ArrayList<>();
            Generation.Result r = Generation.run(model, prompt, 48, 2, Sampler.greedy(), streamed::add);
            assertEquals(48, r.generated().length);
            assertArrayEquals(streamed.stream().mapToInt(Integer::intValue).toArray(), r.generated());
            assertEquals(expected, pieces.text(prompt) + pieces.text(r.generated()) + "\n\n");
        }
    }

    @Test
    void byteTokensAndControlTokensDetokenizeAsLlamaCpp() throws IOException {
        try (ModelRunner model = ModelRunner.open(shared("models/stories260K.gguf"), REGISTRY, RunOptions.defaults())) {
            TokenPieces pieces = TokenPieces.fromMetadata(model.metadata());
            // stories260K: 0 <unk>, 1 <s>, 2 </s>, 3.. <0x00>..<0xFF>
            assertEquals("", pieces.text(1, 2));
            assertArrayEquals(new byte[] {0x0A}, pieces.bytes(3 + 0x0A));
            assertEquals("é", pieces.text(3 + 0xC3, 3 + 0xA9), "two byte tokens form one UTF-8 character");
        }
    }
}
