package dev.quant4j.tck;

import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A small model to write and read back: a layout and the bytes of each of its tensors.
 *
 * @param layout what the writer is told
 * @param data   read-only bytes of each tensor of the layout, in order, of the slot's size
 */
public record SampleModel(ModelLayout layout, List<MemorySegment> data) {
    public SampleModel {
        data = data.stream().map(MemorySegment::asReadOnly).toList();
        if (data.size() != layout.tensors().size()) {
            throw new IllegalArgumentException(data.size() + " data arrays for " + layout.tensors().size() + " tensors");
        }
    }

    /** Four small F32 and F16 tensors (1-D to 3-D) around {@code metadata}; data from fixed seeds. */
    public static SampleModel of(Metadata metadata) {
        record Spec(String name, DType type, Shape shape) {
        }
        List<Spec> specs = List.of(
                new Spec("token_embd.weight", DType.F16, Shape.of(32, 8)),
                new Spec("blk.0.attn_norm.weight", DType.F32, Shape.of(32)),
                new Spec("blk.0.ffn_up.weight", DType.F32, Shape.of(32, 4, 2)),
                new Spec("output.weight", DType.F16, Shape.of(16, 3)));
        List<ModelLayout.TensorSlot> slots = new ArrayList<>();
        List<MemorySegment> data = new ArrayList<>();
        long seed = 1;
        for (Spec s : specs) {
            byte[] bytes = Samples.encode(s.type(), Samples.weights(s.shape(), seed++));
            slots.add(new ModelLayout.TensorSlot(s.name(), s.type(), s.shape(), bytes.length));
            data.add(MemorySegment.ofArray(bytes));
        }
        return new SampleModel(new ModelLayout(metadata, slots), data);
    }

    /**
     * Metadata with a value of every {@link MetaType}, extremes included (uint64 above 2^63, negative signed
     * integers, multi-byte UTF-8, empty strings and arrays). Arrays do not nest: GGUF readers refuse that.
     */
    public static Metadata everyMetaType() {
        List<Metadata.Entry> e = new ArrayList<>();
        e.add(new Metadata.Entry("general.architecture", new MetaValue.Text("llama")));
        e.add(new Metadata.Entry("tck.uint8", new MetaValue.Int(MetaType.UINT8, 200)));
        e.add(new Metadata.Entry("tck.int8", new MetaValue.Int(MetaType.INT8, -100)));
        e.add(new Metadata.Entry("tck.uint16", new MetaValue.Int(MetaType.UINT16, 65000)));
        e.add(new Metadata.Entry("tck.int16", new MetaValue.Int(MetaType.INT16, -30000)));
        e.add(new Metadata.Entry("tck.uint32", new MetaValue.Int(MetaType.UINT32, 4_000_000_000L)));
        e.add(new Metadata.Entry("tck.int32", new MetaValue.Int(MetaType.INT32, -2_000_000_000L)));
        e.add(new Metadata.Entry("tck.float32", new MetaValue.Real(MetaType.FLOAT32, 0.1f)));
        e.add(new Metadata.Entry("tck.bool", new MetaValue.Bool(true)));
        e.add(new Metadata.Entry("tck.string", new MetaValue.Text("multi-byte UTF-8: h\u00e9llo \u2713 \uD83D\uDE00")));
        e.add(new Metadata.Entry("tck.string.empty", new MetaValue.Text("")));
        e.add(new Metadata.Entry("tck.uint64", new MetaValue.Int(MetaType.UINT64, -2L))); // 2^64 - 2
        e.add(new Metadata.Entry("tck.int64", new MetaValue.Int(MetaType.INT64, Long.MIN_VALUE + 1)));
        e.add(new Metadata.Entry("tck.float64", new MetaValue.Real(MetaType.FLOAT64, Math.PI)));
        e.add(new Metadata.Entry("tck.array.int32", new MetaValue.Array(MetaType.INT32, List.of(
                new MetaValue.Int(MetaType.INT32, 1), new MetaValue.Int(MetaType.INT32, -2),
                new MetaValue.Int(MetaType.INT32, 3)))));
        e.add(new Metadata.Entry("tck.array.float32", new MetaValue.Array(MetaType.FLOAT32, List.of(
                new MetaValue.Real(MetaType.FLOAT32, 1.5f), new MetaValue.Real(MetaType.FLOAT32, -0.25f)))));
        e.add(new Metadata.Entry("tck.array.string", new MetaValue.Array(MetaType.STRING, List.of(
                new MetaValue.Text("a"), new MetaValue.Text(""), new MetaValue.Text("\u00fcber")))));
        e.add(new Metadata.Entry("tck.array.bool", new MetaValue.Array(MetaType.BOOL, List.of(
                new MetaValue.Bool(false), new MetaValue.Bool(true)))));
        e.add(new Metadata.Entry("tck.array.uint8", new MetaValue.Array(MetaType.UINT8, List.of(
                new MetaValue.Int(MetaType.UINT8, 0), new MetaValue.Int(MetaType.UINT8, 255)))));
        e.add(new Metadata.Entry("tck.array.empty", new MetaValue.Array(MetaType.FLOAT32, List.of())));
        return new Metadata(e);
    }
}
