package dev.quant4j.gguf.io;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The complete layout of a write: shards, their metadata, every tensor's offset and every file's size, computed
 * from types and shapes alone and validated before any file is touched. Splitting follows llama-gguf-split: a
 * new shard starts when the tensor limit is reached or when the next tensor (padded) would take the shard's
 * data past the byte limit; every shard holds at least one tensor. The first shard carries the metadata, every
 * shard the split.* keys.
 *
 * @param shards the files, in order
 * @param slots  for each tensor of the layout, where its bytes go
 */
record WritePlan(List<ShardPlan> shards, List<Slot> slots) {
    /** Where tensor {@code i} of the layout lives: shard index, absolute offset in that file, byte size. */
    record Slot(int shard, long offset, long byteSize) {
    }

    WritePlan {
        shards = List.copyOf(shards);
        slots = List.copyOf(slots);
    }

    static WritePlan of(Path out, ModelLayout layout, WriteOptions options) {
        Metadata md = layout.metadata();
        long alignment = checkMetadata(md, options);
        checkTensors(layout);
        List<List<Integer>> groups = group(layout, options, alignment);
        if (groups.size() > SplitKeys.MAX_SHARDS) {
            throw invalid("the split limits give " + groups.size() + " shards; GGUF allows at most "
                    + SplitKeys.MAX_SHARDS + ". Raise the limits");
        }
        List<ShardPlan> shards = new ArrayList<>();
        List<Slot> slots = new ArrayList<>(layout.tensors().size());
        for (int s = 0; s < groups.size(); s++) {
            Path file = options.splits() ? SplitNames.shard(SplitNames.prefixForOutput(out), s, groups.size()) : out;
            Metadata shardMeta = shardMetadata(md, options, s, groups.size(), layout.tensors().size(), alignment);
            List<TensorInfo> infos = new ArrayList<>();
            long offset = 0;
            for (int i : groups.get(s)) {
                ModelLayout.TensorSlot t = layout.tensors().get(i);
                infos.add(new TensorInfo(t.name(), t.type(), t.shape(), offset, t.byteSize()));
                offset = Math.addExact(offset, GgufConstants.alignUp(t.byteSize(), alignment));
            }
            long headerSize;
            try {
                headerSize = HeaderEncoder.size(shardMeta, infos);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
            long dataOffset = infos.isEmpty() ? headerSize : GgufConstants.alignUp(headerSize, alignment);
            for (TensorInfo t : infos) {
                slots.add(new Slot(s, Math.addExact(dataOffset, t.offset()), t.byteSize()));
            }
            shards.add(new ShardPlan(file, file.resolveSibling(file.getFileName() + ".tmp"), shardMeta, infos,
                    dataOffset, Math.addExact(dataOffset, offset)));
        }
        return new WritePlan(shards, slots);
    }

    /** Keys unique, a valid general.alignment, no stale split keys; returns the alignment. */
    private static long checkMetadata(Metadata md, WriteOptions options) {
        Set<String> keys = new HashSet<>();
        for (Metadata.Entry e : md.entries()) {
            if (!keys.add(e.key())) {
                throw invalid("metadata key '" + e.key() + "' appears twice");
            }
        }
        if (!options.splits()) {
            md.get(GgufConstants.KEY_SPLIT_COUNT).ifPresent(v -> {
                if (!(v instanceof MetaValue.Int(MetaType t, long n)) || n != 0) {
                    throw invalid("the metadata carries " + GgufConstants.KEY_SPLIT_COUNT + " = " + v
                            + " but the output is one file; remove the split.* keys");
                }
            });
        }
        var a = md.get(GgufConstants.KEY_ALIGNMENT);
        if (a.isEmpty()) {
            return GgufConstants.DEFAULT_ALIGNMENT;
        }
        if (a.get() instanceof MetaValue.Int(MetaType t, long v) && t == MetaType.UINT32
                && GgufConstants.isPowerOfTwo(v) && v <= 0xFFFF_FFFFL) {
            return v;
        }
        throw invalid(GgufConstants.KEY_ALIGNMENT + " must be a uint32 power of two, found " + a.get());
    }

    private static void checkTensors(ModelLayout layout) {
        Set<String> names = new HashSet<>();
        for (ModelLayout.TensorSlot t : layout.tensors()) {
            int len = t.name().getBytes(StandardCharsets.UTF_8).length;
            if (len >= GgufConstants.MAX_TENSOR_NAME_BYTES) {
                throw invalid("tensor name '" + t.name() + "' is " + len + " bytes long; llama.cpp allows at most "
                        + (GgufConstants.MAX_TENSOR_NAME_BYTES - 1));
            }
            if (!names.add(t.name())) {
                throw invalid("tensor '" + t.name() + "' appears twice");
            }
            if (!t.type().isGgml()) {
                throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "tensor '" + t.name() + "': type "
                        + t.type().lowerName() + " has no ggml id and cannot be stored in GGUF; quantize it or convert"
                        + " it to f16/bf16/f32");
            }
            long expected = TensorInfo.byteSize(t.type(), t.shape());
            if (expected < 0) {
                throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "tensor '" + t.name() + "': row length "
                        + t.shape().rowLength() + " is not a multiple of " + t.type().blockSize() + " required by "
                        + t.type().lowerName());
            }
            if (expected != t.byteSize()) {
                throw invalid("tensor '" + t.name() + "': " + t.byteSize() + " bytes given but " + t.type().lowerName()
                        + " " + t.shape() + " takes " + expected);
            }
        }
    }

    /** Tensor indices per shard, in layout order. */
    private static List<List<Integer>> group(ModelLayout layout, WriteOptions options, long alignment) {
        List<List<Integer>> groups = new ArrayList<>();
        if (!options.shardTensorCounts().isEmpty()) {
            int total = options.shardTensorCounts().stream().mapToInt(Integer::intValue).sum();
            if (total != layout.tensors().size()) {
                throw invalid("the shard sizes " + options.shardTensorCounts() + " add up to " + total
                        + " tensors but the model has " + layout.tensors().size());
            }
            int next = 0;
            for (int count : options.shardTensorCounts()) {
                List<Integer> g = new ArrayList<>();
                for (int k = 0; k < count; k++) {
                    g.add(next++);
                }
                groups.add(g);
            }
            return groups;
        }
        List<Integer> current = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < layout.tensors().size(); i++) {
            long padded = GgufConstants.alignUp(layout.tensors().get(i).byteSize(), alignment);
            boolean full = options.maxShardTensors() > 0 && current.size() >= options.maxShardTensors()
                    || options.maxShardBytes() > 0 && bytes + padded > options.maxShardBytes();
            if (full && !current.isEmpty()) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(i);
            bytes = Math.addExact(bytes, padded);
        }
        groups.add(current);
        return groups;
    }

    private static Metadata shardMetadata(Metadata md, WriteOptions options, int shard, int count, int tensors,
                                          long alignment) {
        if (!options.splits()) {
            return md;
        }
        SplitKeys keys = new SplitKeys(shard, count, tensors);
        if (shard == 0) {
            return keys.applyTo(md);
        }
        Metadata own = keys.applyTo(Metadata.empty());
        return alignment == GgufConstants.DEFAULT_ALIGNMENT ? own
                : own.with(GgufConstants.KEY_ALIGNMENT, new MetaValue.Int(MetaType.UINT32, alignment));
    }

    private static QuantException invalid(String message) {
        return new QuantException(ErrorCode.INVALID_PLAN, message);
    }
}
