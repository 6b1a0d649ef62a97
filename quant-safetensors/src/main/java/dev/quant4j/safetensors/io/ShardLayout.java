package dev.quant4j.safetensors.io;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.json.JsonText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every byte position of a safetensors output, fixed before anything is written: which tensors go to which
 * file, each file's header (compact JSON padded with spaces to a multiple of 8, as the safetensors library pads
 * it) and each tensor's offset. Tensors keep the layout's order.
 */
record ShardLayout(Path index, List<Shard> shards, List<Slot> slots) {
    record Shard(Path file, Path temp, byte[] header, long fileSize, List<Integer> tensors) {
    }

    /** Where tensor i of the layout goes: shard and absolute file offset. */
    record Slot(int shard, long offset, long byteSize) {
    }

    static ShardLayout of(Path out, ModelLayout layout, WriteOptions options) {
        List<String> meta = metadata(layout.metadata());
        List<List<Integer>> groups = split(layout, options);
        int n = groups.size();
        String name = out.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        List<Shard> shards = new ArrayList<>();
        Slot[] slots = new Slot[layout.tensors().size()];
        for (int s = 0; s < n; s++) {
            Path file = n == 1 ? out : out.resolveSibling(String.format("%s-%05d-of-%05d.safetensors", stem, s + 1, n));
            StringBuilder json = new StringBuilder("{");
            if (!meta.isEmpty()) {
                json.append("\"__metadata__\":{").append(String.join(",", meta)).append('}');
            }
            long offset = 0;
            for (int i : groups.get(s)) {
                ModelLayout.TensorSlot t = layout.tensors().get(i);
                String dtype = SafetensorsDType.nameOf(t.type()).orElseThrow(() -> new QuantException(
                        ErrorCode.UNSUPPORTED_TYPE, "tensor '" + t.name() + "': type " + t.type().lowerName()
                        + " cannot be stored in safetensors (supported: " + SafetensorsDType.known() + ")"));
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(JsonText.quote(t.name())).append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
                for (int d = t.shape().rank() - 1; d >= 0; d--) {
                    json.append(t.shape().ne(d)).append(d > 0 ? "," : "");
                }
                json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + t.byteSize()).append("]}");
                slots[i] = new Slot(s, offset, t.byteSize());
                offset += t.byteSize();
            }
            json.append('}');
            byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
            int padded = (body.length + 7) & ~7;
            byte[] header = new byte[8 + padded];
            java.util.Arrays.fill(header, 8, header.length, (byte) ' ');
            System.arraycopy(body, 0, header, 8, body.length);
            java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
            shards.add(new Shard(file, file.resolveSibling(file.getFileName() + ".tmp"), header,
                    header.length + offset, groups.get(s)));
        }
        for (int i = 0; i < slots.length; i++) {
            Slot sl = slots[i];
            slots[i] = new Slot(sl.shard(), shards.get(sl.shard()).header().length + sl.offset(), sl.byteSize());
        }
        Path index = n == 1 ? null : out.resolveSibling(stem + ".safetensors.index.json");
        return new ShardLayout(index, List.copyOf(shards), List.of(slots));
    }

    private static List<String> metadata(Metadata m) {
        List<String> out = new ArrayList<>();
        for (Metadata.Entry e : m.entries()) {
            if (!(e.value() instanceof MetaValue.Text t)) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "metadata '" + e.key() + "' is a " + e.value().type()
                        .label() + "; safetensors __metadata__ holds strings only");
            }
            out.add(JsonText.quote(e.key()) + ":" + JsonText.quote(t.value()));
        }
        return out;
    }

    private static List<List<Integer>> split(ModelLayout layout, WriteOptions o) {
        List<List<Integer>> groups = new ArrayList<>();
        int total = layout.tensors().size();
        if (!o.shardTensorCounts().isEmpty()) {
            int sum = o.shardTensorCounts().stream().mapToInt(Integer::intValue).sum();
            if (sum != total) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "shard sizes " + o.shardTensorCounts() + " add up to "
                        + sum + " tensors; the model has " + total);
            }
            int i = 0;
            for (int c : o.shardTensorCounts()) {
                List<Integer> g = new ArrayList<>();
                for (int k = 0; k < c; k++) {
                    g.add(i++);
                }
                groups.add(g);
            }
            return groups;
        }
        List<Integer> current = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < total; i++) {
            long size = layout.tensors().get(i).byteSize();
            boolean full = !current.isEmpty() && ((o.maxShardBytes() > 0 && bytes + size > o.maxShardBytes())
                    || (o.maxShardTensors() > 0 && current.size() >= o.maxShardTensors()));
            if (full) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(i);
            bytes += size;
        }
        groups.add(current);
        return groups;
    }

    /** The index as transformers writes it: total_size and a sorted weight map, indent 2. */
    byte[] indexJson(ModelLayout layout) {
        long total = layout.tensors().stream().mapToLong(ModelLayout.TensorSlot::byteSize).sum();
        java.util.TreeMap<String, String> map = new java.util.TreeMap<>();
        for (Shard s : shards) {
            for (int i : s.tensors()) {
                map.put(layout.tensors().get(i).name(), s.file().getFileName().toString());
            }
        }
        StringBuilder b = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": ").append(total)
                .append("\n  },\n  \"weight_map\": {");
        String sep = "\n";
        for (var e : map.entrySet()) {
            b.append(sep).append("    ").append(JsonText.quote(e.getKey())).append(": ").append(JsonText.quote(e.getValue()));
            sep = ",\n";
        }
        return b.append("\n  }\n}\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
