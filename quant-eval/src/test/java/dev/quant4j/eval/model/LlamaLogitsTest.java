package dev.quant4j.eval.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Dense llama models against llama.cpp 34af94cd's all-position logits (reference/eval/logits). */
class LlamaLogitsTest {
    static final QuantRegistry REGISTRY = QuantRegistry.load(LlamaLogitsTest.class.getClassLoader());

    static LogitsComparison run(String model, String refName, RunOptions options) throws IOException {
        int[] ids = Reference.ids(model);
        float[] ref = Reference.logits(refName);
        try (ModelRunner runner = ModelRunner.open(Reference.model(model), REGISTRY, options)) {
            float[] ours = runner.logits(ids);
            LogitsComparison c = LogitsComparison.of(ours, ref, runner.vocabSize());
            System.err.println(refName + " " + options + ": " + c);
            return c;
        }
    }

    static void assertClose(LogitsComparison c) {
        assertTrue(c.maxDiff() <= 0.05, c.toString());
        assertEquals(0, c.argmaxMismatches(), c.toString());
    }

    @Test
    void stories260KMatchesTheF32CacheReferenceWithin1e4() throws IOException {
        LogitsComparison c = run("stories260K", "stories260K.kvf32-nofa", RunOptions.defaults().withThreads(2));
        assertTrue(c.maxDiff() <= 1e-4, c.toString());
        assertEquals(0, c.argmaxMismatches() + c.nearTies(), c.toString());
    }

    @Test
    void stories260KMatchesTheDefaultReference() throws IOException {
        assertClose(run("stories260K", "stories260K", RunOptions.defaults().withThreads(2)));
    }

    @Test
    void tinyShakespeareF16() throws IOException {
        assertClose(run("tiny-shakespeare-256-f16", "tiny-shakespeare-256-f16", RunOptions.defaults().withThreads(2)));
    }

    @Test
    void synth8L() throws IOException {
        assertClose(run("synth-8L", "synth-8L", RunOptions.defaults().withThreads(2)));
    }
}
