package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.tck.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importance planner protects super weights by default, within its budget: the tensor holding a planted one
 * gets at least the cheapest type that keeps it (a floor), so the plan needs no raise afterwards, the weight is
 * decoded back within 1 % and the file stays within the target.
 */
class SuperWeightFloorTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(SuperWeightFloorTest.class.getClassLoader());

    @Test
    void importancePlanKeepsThePlantedWeightWithinTheTarget(@TempDir Path tmp) throws IOException {
        Path model = SharedData.require("reference/trained/tiny-shakespeare-256-f16.gguf");
        Path planted = tmp.resolve("planted.gguf");
        Files.copy(model, planted);
        try (ModelReader r = REGISTRY.format("gguf").open(model);
             FileChannel ch = FileChannel.open(planted, StandardOpenOption.WRITE)) {
            TensorInfo t = r.tensors().stream().filter(x -> x.name().equals("blk.1.ffn_down.weight")).findFirst()
                    .orElseThrow();
            TensorView v = r.view(t);
            long at = r.container().dataOffset() + t.offset() + 2 * (37 * v.rowLength() + 501);
            ch.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(-7f)).flip(), at);
        }
        long target = 1_700_000;
        QuantizeReport rep = QuantizeJob.builder(REGISTRY).input(planted).output(tmp.resolve("out.gguf"))
                .planner("importance", Map.of("target-size", String.valueOf(target), "cache-dir", "none",
                        "candidates", "iq2_xxs,iq2_xs,q2_k,q3_k,q4_k"))
                .importance(SharedData.require("reference/trained/tiny-shakespeare-256-imatrix.gguf")).threads(2)
                .build().run();
        assertEquals(1, rep.superWeights().size());
        ProtectedWeight w = rep.superWeights().getFirst();
        assertEquals(-7f, w.before());
        assertTrue(w.preserved(), w.toString());
        assertEquals(w.plannedType(), w.type(), "the floor made the planner choose a keeping type itself");
        DType chosen = DType.fromName(w.type()).orElseThrow();
        assertTrue(chosen.bitsPerWeight() >= DType.Q2_K.bitsPerWeight(), w.type());
        assertTrue(Files.size(tmp.resolve("out.gguf")) <= target);
        assertTrue(rep.warnings().stream().noneMatch(x -> x.contains("raised")), rep.warnings().toString());
    }
}
