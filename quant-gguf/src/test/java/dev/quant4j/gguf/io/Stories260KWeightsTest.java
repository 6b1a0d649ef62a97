package dev.quant4j.gguf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.tck.SharedData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tensors read from stories260K.gguf are the weights of stories260K.bin (llama2.c format, shared/README.md):
 * same shape in ggml order and the same float bits, for every tensor of the GGUF.
 */
class Stories260KWeightsTest {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A llama2.c array: byte offset in the .bin and ggml shape (row length first). */
    private record Slice(long offset, Shape shape) {
    }

    @Test
    void everyTensorEqualsTheLlama2cCheckpoint() throws Exception {
        Path bin = SharedData.require("models/stories260K.bin");
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(bin, StandardOpenOption.READ);
             ModelReader gguf = GgufFiles.FORMAT.open(GgufFiles.stories())) {
            MemorySegment b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Map<String, Slice> expected = layout(b);
            Set<String> seen = new HashSet<>();
            for (TensorInfo t : gguf.tensors()) {
                Slice s = expected.get(t.name());
                assertNotNull(s, "unexpected tensor " + t.name());
                assertEquals(DType.F32, t.type(), t.name());
                assertEquals(s.shape(), t.shape(), t.name());
                TensorView v = gguf.view(t);
                MemorySegment want = b.asSlice(s.offset(), 4 * s.shape().elementCount());
                assertEquals(-1, want.mismatch(v.data()), t.name() + " differs from the .bin");
                float[] row = new float[(int) t.shape().rowLength()];
                long last = t.shape().rows() - 1;
                v.readRow(last, row, 0);
                for (int i = 0; i < row.length; i++) {
                    float w = b.get(F32, s.offset() + 4 * (last * row.length + i));
                    assertEquals(Float.floatToRawIntBits(w), Float.floatToRawIntBits(row[i]), t.name() + " [" + i + "]");
                }
                seen.add(t.name());
            }
            assertEquals(expected.keySet(), seen);
        }
    }

    /** Where each GGUF tensor's weights sit in the llama2.c checkpoint. */
    private static Map<String, Slice> layout(MemorySegment b) {
        int dim = b.get(I32, 0);
        int hidden = b.get(I32, 4);
        int layers = b.get(I32, 8);
        int heads = b.get(I32, 12);
        int kvHeads = b.get(I32, 16);
        int vocab = Math.abs(b.get(I32, 20));
        int kvDim = dim * kvHeads / heads;
        assertEquals(64, dim);
        assertEquals(5, layers);
        Map<String, Slice> m = new LinkedHashMap<>();
        long[] pos = {28};
        Slice emb = take(pos, Shape.of(dim, vocab));
        m.put("token_embd.weight", emb);
        m.put("output.weight", emb); // stories260K.gguf carries the shared classifier explicitly
        perLayer(m, pos, layers, "attn_norm", Shape.of(dim));
        perLayer(m, pos, layers, "attn_q", Shape.of(dim, dim));
        perLayer(m, pos, layers, "attn_k", Shape.of(dim, kvDim));
        perLayer(m, pos, layers, "attn_v", Shape.of(dim, kvDim));
        perLayer(m, pos, layers, "attn_output", Shape.of(dim, dim));
        perLayer(m, pos, layers, "ffn_norm", Shape.of(dim));
        perLayer(m, pos, layers, "ffn_gate", Shape.of(dim, hidden));
        perLayer(m, pos, layers, "ffn_down", Shape.of(hidden, dim));
        perLayer(m, pos, layers, "ffn_up", Shape.of(dim, hidden));
        m.put("output_norm.weight", take(pos, Shape.of(dim)));
        return m;
    }

    private static void perLayer(Map<String, Slice> m, long[] pos, int layers, String name, Shape shape) {
        for (int l = 0; l < layers; l++) {
            m.put("blk." + l + "." + name + ".weight", take(pos, shape));
        }
    }

    private static Slice take(long[] pos, Shape shape) {
        Slice s = new Slice(pos[0], shape);
        pos[0] += 4 * shape.elementCount();
        return s;
    }
}
