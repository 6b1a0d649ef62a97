package dev.quant4j.eval.model;

import static dev.quant4j.eval.model.LlamaLogitsTest.assertClose;
import static dev.quant4j.eval.model.LlamaLogitsTest.run;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** qwen2 (biases), qwen3 (q/k norms), Mixtral-style llama MoE and qwen3moe against llama.cpp's logits. */
class ArchitectureLogitsTest {
    @ParameterizedTest
    @ValueSource(strings = {"synth-qwen2", "synth-qwen3", "synth-moe", "synth-qwen3moe"})
    void matchesLlamaCpp(String model) throws IOException {
        assertClose(run(model, model, RunOptions.defaults().withThreads(2)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "tiny-shakespeare-256-f16", "synth-8L", "synth-qwen2", "synth-qwen3",
            "synth-moe", "synth-qwen3moe"})
    void llamaCppEmulationStaysWithinTolerance(String model) throws IOException {
        assertClose(run(model, model, RunOptions.llamaCppEmulation().withThreads(2)));
    }
}
