package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.engine.DemoModel;
import dev.quant4j.engine.ProgressListener;
import dev.quant4j.engine.QuantizeJob;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's forward-pass comparison of a quantized model with its original. */
class ForwardAgreementTest {
    @Test
    void kldOfTwoSoftmaxesMatchesHandComputedValue() {
        // softmax [0, 0] = (1/2, 1/2), softmax [ln 3, 0] = (3/4, 1/4): KL = 1/2 ln(2/3) + 1/2 ln 2 = 1/2 ln(4/3)
        float[] p = {9, 0, 0};
        float[] q = {9, (float) Math.log(3), 0};
        assertEquals(0.5 * Math.log(4.0 / 3), ForwardAgreement.kld(p, q, 1, 2), 1e-7);
        assertEquals(0, ForwardAgreement.kld(p, p, 0, 3), 1e-12);
    }

    @Test
    void identicalModelsAgreeAndAQuantizedOneDriftsALittle(@TempDir Path dir) throws Exception {
        QuantRegistry registry = QuantRegistry.load(ForwardAgreementTest.class.getClassLoader());
        DemoModel demo = new DemoModel(2, 256, 512, 4, 2, 512, 3);
        Path base = demo.write(registry, dir.resolve("m-f16.gguf"));
        Path q8 = dir.resolve("m-q8_0.gguf");
        QuantizeJob.builder(registry).input(base).output(q8).planner("llama-cpp", Map.of("file-type", "Q8_0"))
                .threads(2).listener(ProgressListener.NONE).build().run();

        ForwardAgreement same = ForwardAgreement.measure(registry, base, base, demo.vocab(), 2, 16, 2);
        assertEquals(32, same.positions());
        assertEquals(0, same.meanKld(), 1e-12);
        assertEquals(1, same.sameTop());

        ForwardAgreement quantized = ForwardAgreement.measure(registry, base, q8, demo.vocab(), 2, 16, 2);
        assertTrue(quantized.meanKld() > 0 && quantized.meanKld() < 0.05, "Q8_0 drifts a little: " + quantized);
        assertTrue(quantized.sameTop() > 0.5, "and mostly keeps the top token: " + quantized);
    }
}
