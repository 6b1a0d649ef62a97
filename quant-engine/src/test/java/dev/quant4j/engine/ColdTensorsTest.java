package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.TensorPlan;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which tensors wait for a warm kernel: cold ones, and only while warm work remains after them. */
class ColdTensorsTest {
    private static Quantizer quantizer(boolean warm) {
        return (Quantizer) Proxy.newProxyInstance(Quantizer.class.getClassLoader(), new Class<?>[] {Quantizer.class},
                (p, m, a) -> m.getName().equals("warm") ? warm : null);
    }

    private static TensorStep step(String name, Quantizer q, boolean rowIndependent) {
        Shape s = Shape.of(64, 4);
        TensorInfo info = new TensorInfo(name, DType.F16, s, 0, TensorInfo.byteSize(DType.F16, s));
        TensorPlan plan = new TensorPlan(name, s, DType.F16, DType.Q8_0, q == null ? null : "x", Map.of(), "", "");
        return new TensorStep(info, plan, q, null, null, 8, rowIndependent, true);
    }

    @Test
    void aColdTensorWaitsOnlyWhileALaterTensorIsWarm() {
        TensorStep cold = step("output.weight", quantizer(false), true);
        TensorStep warm = step("token_embd.weight", quantizer(true), true);
        TensorStep copy = step("output_norm.weight", null, true);
        assertTrue(ColdTensors.shouldWait(List.of(cold, copy, warm), 0, Set.of()));
        assertFalse(ColdTensors.shouldWait(List.of(cold, copy, warm), 2, Set.of()), "a warm tensor never waits");
        assertFalse(ColdTensors.shouldWait(List.of(cold, copy), 0, Set.of()), "a copy is no work to do meanwhile");
        assertFalse(ColdTensors.shouldWait(List.of(cold, step("b", quantizer(false), true)), 0, Set.of()),
                "all cold (k-quant mixtures at start): file order");
        assertFalse(ColdTensors.shouldWait(List.of(cold, warm), 0, Set.of(1)), "the warm one was written before a resume");
        assertFalse(ColdTensors.shouldWait(List.of(step("w", quantizer(false), false), warm), 0, Set.of()),
                "a whole-tensor quantizer keeps its place");
    }
}
