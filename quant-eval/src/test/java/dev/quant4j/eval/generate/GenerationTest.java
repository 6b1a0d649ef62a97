package dev.quant4j.eval.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
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
            Tokenizer tok = Tokenizers.fromMetadata(model.metadata());
            assertArrayEquals(prompt, tok.encode("Once upon a time", true, true), "llama-completion's prompt ids");
            assertEquals(" Once upon a time", text(tok, prompt));
            List<Integer> streamed = new ArrayList<>();
            Generation.Result r = Generation.run(model, prompt, 48, 2, Sampler.greedy(), streamed::add);
            assertEquals(48, r.generated().length);
            assertArrayEquals(streamed.stream().mapToInt(Integer::intValue).toArray(), r.generated());
            assertEquals(expected, text(tok, prompt) + text(tok, r.generated()) + "\n\n");
        }
    }

    @Test
    void byteTokensAndControlTokensDetokenizeAsLlamaCpp() throws IOException {
        try (ModelRunner model = ModelRunner.open(shared("models/stories260K.gguf"), REGISTRY, RunOptions.defaults())) {
            Tokenizer tok = Tokenizers.fromMetadata(model.metadata());
            // stories260K: 0 <unk>, 1 <s>, 2 </s>, 3.. <0x00>..<0xFF>
            assertEquals("", text(tok, 1, 2), "control tokens print nothing without specials");
            assertEquals("<s></s>", tok.decode(new int[] {1, 2}), "and their text with specials");
            assertArrayEquals(new byte[] {0x0A}, tok.pieceBytes(3 + 0x0A, false));
            assertEquals("é", text(tok, 3 + 0xC3, 3 + 0xA9), "two byte tokens form one UTF-8 character");
        }
    }

    /** What llama-completion prints for {@code ids}: pieces without specials, as UTF-8. */
    private static String text(Tokenizer tok, int... ids) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int id : ids) {
            b.writeBytes(tok.pieceBytes(id, false));
        }
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
