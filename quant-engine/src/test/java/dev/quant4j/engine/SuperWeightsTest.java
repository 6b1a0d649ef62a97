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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-free super-weight detection: none in the trained model, exactly the one planted. */
class SuperWeightsTest {
    private static final QuantRegistry REGISTRY = QuantRegistry.load(SuperWeightsTest.class.getClassLoader());
    private static final String DIR = "reference/trained/";
    private static final String TENSOR = "blk.1.ffn_down.weight";
    private static final long ROW = 37;
    private static final long COLUMN = 501;

    @Test
    void theTrainedModelHasNone() throws IOException {
        Path model = SharedData.require(DIR + "tiny-shakespeare-256-f16.gguf");
        Path imatrix = SharedData.require(DIR + "tiny-shakespeare-256-imatrix.gguf");
        var withImatrix = SuperWeights.scan(REGISTRY, model, imatrix, SuperWeights.DEFAULT_FACTOR);
        assertEquals(6L * 256 * 768, withImatrix.weightsScanned());
        assertEquals(0, withImatrix.found().size(), withImatrix.found().toString());
        var plain = SuperWeights.scan(REGISTRY, model, null, SuperWeights.DEFAULT_FACTOR);
        assertEquals(0, plain.found().size(), plain.found().toString());
    }

    @Test
    void findsExactlyThePlantedWeight(@TempDir Path tmp) throws IOException {
        Path model = SharedData.require(DIR + "tiny-shakespeare-256-f16.gguf");
        Path imatrix = SharedData.require(DIR + "tiny-shakespeare-256-imatrix.gguf");
        Path planted = tmp.resolve("planted.gguf");
        Files.copy(model, planted);
        float value;
        try (ModelReader r = REGISTRY.format("gguf").open(model)) {
            TensorInfo t = r.tensors().stream().filter(x -> x.name().equals(TENSOR)).findFirst().orElseThrow();
            assertEquals(DType.F16, t.type());
            TensorView v = r.view(t);
            float max = 0;
            float[] row = new float[(int) v.rowLength()];
            for (long i = 0; i < v.rows(); i++) {
                v.readRow(i, row, 0);
                for (float x : row) {
                    max = Math.max(max, Math.abs(x));
                }
            }
            value = -20 * max; // a super weight: far beyond every other weight of the model's ffn_down
            long at = r.container().dataOffset() + t.offset() + 2 * (ROW * v.rowLength() + COLUMN);
            try (FileChannel ch = FileChannel.open(planted, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(value));
                ch.write(b.flip(), at);
            }
        }
        for (Path imp : new Path[] {imatrix, null}) {
            var result = SuperWeights.scan(REGISTRY, planted, imp, SuperWeights.DEFAULT_FACTOR);
            assertEquals(1, result.found().size(), result.found().toString());
            var w = result.found().getFirst();
            assertEquals(TENSOR, w.tensor());
            assertEquals(1, w.layer());
            assertEquals(ROW, w.row());
            assertEquals(COLUMN, w.column());
            assertEquals(Float.float16ToFloat(Float.floatToFloat16(value)), w.value());
            assertTrue(w.ratio() >= SuperWeights.DEFAULT_FACTOR);
        }
    }
}
