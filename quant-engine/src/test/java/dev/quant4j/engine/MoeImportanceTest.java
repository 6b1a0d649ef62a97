package dev.quant4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.registry.RegistryEntry;
import dev.quant4j.api.spi.Capability;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.NoOptionsQuantizerProvider;
import dev.quant4j.api.spi.Provider;
import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MoE weight [256, 4, 3] with a GGUF imatrix holding one importance row per expert: every row is quantized
 * with its own expert's row, whatever the chunking and threads.
 */
class MoeImportanceTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final String W = "blk.0.ffn_down_exps.weight";
    private static final int COLS = 256;
    private static final int ROWS = 4;
    private static final int EXPERTS = 3;

    /** Records (first weight of the row, first importance value) for every row it encodes. */
    static final class Recording extends NoOptionsQuantizerProvider {
        final ConcurrentLinkedQueue<float[]> seen;

        Recording(ConcurrentLinkedQueue<float[]> seen) {
            super("recording-q8", "records importance", () -> new RowQuantizer(DType.Q8_0) {
                @Override
                protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
                    seen.add(new float[] {x[0], importance == null ? Float.NaN : importance[0]});
                }

                @Override
                protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
                    throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "recording-q8 does not dequantize");
                }
            }, Capability.ROW_INDEPENDENT, Capability.USES_CALIBRATION);
            this.seen = seen;
        }
    }

    @Test
    void everyExpertGetsItsOwnImportanceRow(@TempDir Path tmp) throws IOException {
        QuantRegistry base = QuantRegistry.load(getClass().getClassLoader());
        Path model = tmp.resolve("moe.gguf");
        // expert e's rows start with the value e: the recorded pairs tell which expert a row belonged to
        write(base, model, Metadata.empty().with("general.architecture", MetaValue.text("llama")),
                List.of(new ModelLayout.TensorSlot(W, DType.F32, Shape.of(COLS, ROWS, EXPERTS), 4L * COLS * ROWS * EXPERTS)),
                seg -> {
                    for (int e = 0; e < EXPERTS; e++) {
                        for (int r = 0; r < ROWS; r++) {
                            for (int c = 0; c < COLS; c++) {
                                seg.setAtIndex(F32, ((long) e * ROWS + r) * COLS + c, c == 0 ? e : 0.01f * c);
                            }
                        }
                    }
                });
        Path imatrix = tmp.resolve("imatrix.gguf");
        Metadata im = Metadata.empty()
                .with("general.type", MetaValue.text("imatrix"))
                .with("imatrix.datasets", new MetaValue.Array(MetaType.STRING, List.of(MetaValue.text("test"))))
                .with("imatrix.chunk_count", MetaValue.u32(1))
                .with("imatrix.chunk_size", MetaValue.u32(512));
        // in_sum2 of expert e is 10 * (e + 1) with a count of 10: importance e + 1
        fillImatrix(base, imatrix, im);

        ConcurrentLinkedQueue<float[]> seen = new ConcurrentLinkedQueue<>();
        List<Provider<?>> all = new ArrayList<>(base.entries().stream().map(RegistryEntry::provider).toList());
        all.add(new Recording(seen));
        QuantRegistry reg = QuantRegistry.of(all.toArray(Provider<?>[]::new));
        QuantizeJob.builder(reg).input(model).output(tmp.resolve("out.gguf"))
                .planner("per-layer", Map.of("method", "recording-q8")).importance(imatrix)
                .threads(3).measureError(false).build().run();

        assertEquals(ROWS * EXPERTS, seen.size(), "every row quantized once");
        for (float[] p : seen) {
            assertEquals(p[0] + 1, p[1], "row of expert " + p[0] + " got importance " + p[1]);
        }
        assertTrue(seen.stream().anyMatch(p -> p[0] == EXPERTS - 1));
    }

    interface Filler {
        void fill(MemorySegment seg) throws IOException;
    }

    private static void write(QuantRegistry reg, Path file, Metadata md, List<ModelLayout.TensorSlot> slots, Filler f)
            throws IOException {
        try (ModelWriter w = reg.format("gguf").create(file, new ModelLayout(md, slots), WriteOptions.SINGLE_FILE)) {
            f.fill(w.tensorData(0));
            w.commit();
        }
    }

    private static void fillImatrix(QuantRegistry reg, Path file, Metadata md) throws IOException {
        try (ModelWriter w = reg.format("gguf").create(file, new ModelLayout(md, List.of(
                new ModelLayout.TensorSlot(W + ".in_sum2", DType.F32, Shape.of(COLS, EXPERTS), 4L * COLS * EXPERTS),
                new ModelLayout.TensorSlot(W + ".counts", DType.F32, Shape.of(1, EXPERTS), 4L * EXPERTS))),
                WriteOptions.SINGLE_FILE)) {
            MemorySegment sums = w.tensorData(0);
            MemorySegment counts = w.tensorData(1);
            for (int e = 0; e < EXPERTS; e++) {
                counts.setAtIndex(F32, e, 10f);
                for (int c = 0; c < COLS; c++) {
                    sums.setAtIndex(F32, (long) e * COLS + c, 10f * (e + 1));
                }
            }
            w.commit();
        }
    }
}
