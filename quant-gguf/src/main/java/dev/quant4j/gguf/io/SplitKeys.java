package dev.quant4j.gguf.io;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code split.*} keys of a shard (spec/gguf.md section 7.5): llama.cpp writes split.no and split.count
 * as uint16 and split.tensors.count as int32; any integer type is accepted when reading.
 *
 * @param no      0-based index of this shard
 * @param count   number of shards
 * @param tensors tensors over all shards
 */
record SplitKeys(int no, int count, long tensors) {
    static final int MAX_SHARDS = 0xFFFF;

    /** The split keys of a shard; empty when the file is not part of a split model ({@code split.count} absent or 0). */
    static Optional<SplitKeys> of(Path file, GgufHeader header) throws CorruptFormatException {
        Metadata md = header.metadata();
        if (md.get(GgufConstants.KEY_SPLIT_COUNT).isEmpty()) {
            return Optional.empty();
        }
        long count = integer(file, header, GgufConstants.KEY_SPLIT_COUNT);
        if (count == 0) {
            return Optional.empty(); // llama-gguf-split --merge leaves split.count = 0 in merged files
        }
        long no = integer(file, header, GgufConstants.KEY_SPLIT_NO);
        long tensors = integer(file, header, GgufConstants.KEY_SPLIT_TENSORS);
        if (count < 0 || count > MAX_SHARDS) {
            throw bad(file, header, GgufConstants.KEY_SPLIT_COUNT, "shard count " + count + " is not in 1.." + MAX_SHARDS);
        }
        if (no < 0 || no >= count) {
            throw bad(file, header, GgufConstants.KEY_SPLIT_NO, "shard number " + no + " is not in 0.." + (count - 1));
        }
        if (tensors < 0 || tensors > ReadLimits.MAX_TENSORS * count) {
            throw bad(file, header, GgufConstants.KEY_SPLIT_TENSORS, "tensor count " + tensors + " is impossible");
        }
        return Optional.of(new SplitKeys((int) no, (int) count, tensors));
    }

    /** {@code md} without the split keys: what a split model's metadata is, seen as one model. */
    static Metadata strip(Metadata md) {
        return md.without(GgufConstants.KEY_SPLIT_NO).without(GgufConstants.KEY_SPLIT_COUNT)
                .without(GgufConstants.KEY_SPLIT_TENSORS);
    }

    /** {@code md} with this shard's keys set as llama.cpp sets them: replaced in place or appended. */
    Metadata applyTo(Metadata md) {
        return md.with(GgufConstants.KEY_SPLIT_NO, new MetaValue.Int(MetaType.UINT16, no))
                .with(GgufConstants.KEY_SPLIT_COUNT, new MetaValue.Int(MetaType.UINT16, count))
                .with(GgufConstants.KEY_SPLIT_TENSORS, new MetaValue.Int(MetaType.INT32, tensors));
    }

    private static long integer(Path file, GgufHeader header, String key) throws CorruptFormatException {
        MetaValue v = header.metadata().get(key).orElseThrow(() -> bad(file, header, GgufConstants.KEY_SPLIT_COUNT,
                "a split model's shard must also carry '" + key + "'"));
        if (!(v instanceof MetaValue.Int(MetaType type, long value))) {
            throw bad(file, header, key, "must be an integer, found " + v.type().label());
        }
        return type == MetaType.UINT64 && value < 0 ? Long.MAX_VALUE : value;
    }

    private static CorruptFormatException bad(Path file, GgufHeader header, String key, String problem) {
        return new CorruptFormatException(file, header.offsetOf(key), key, problem);
    }
}
