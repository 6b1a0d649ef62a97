package dev.quant4j.cli;

import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code quant inspect} shows of an open model: container facts, metadata, and every tensor with the file
 * holding it and its absolute offset there. Readers give offsets relative to the data section of the shard
 * holding the tensor; for a split model each further shard is opened alone (its header only) to learn which
 * tensors it holds and where its data section starts.
 *
 * @param container the container facts of the model
 * @param metadata  its metadata, in file order
 * @param tensors   its tensors, in file order, located
 */
record InspectedModel(ContainerInfo container, Metadata metadata, List<Located> tensors) {
    /** A tensor, the index of its file in {@code container.files()} and the absolute offset of its data there. */
    record Located(TensorInfo info, int file, long offset) {
    }

    InspectedModel {
        tensors = List.copyOf(tensors);
    }

    static InspectedModel of(ModelReader model, FormatProvider format) throws IOException {
        ContainerInfo c = model.container();
        Map<String, Located> elsewhere = new HashMap<>();
        for (int f = 1; f < c.files().size(); f++) {
            try (ModelReader shard = format.open(c.files().get(f))) {
                long base = shard.container().dataOffset();
                for (TensorInfo t : shard.tensors()) {
                    elsewhere.put(t.name(), new Located(t, f, base + t.offset()));
                }
            }
        }
        List<Located> located = model.tensors().stream().map(t -> {
            Located other = elsewhere.get(t.name());
            return other == null ? new Located(t, 0, c.dataOffset() + t.offset())
                    : new Located(t, other.file(), other.offset());
        }).toList();
        return new InspectedModel(c, model.metadata(), located);
    }

    long totalBytes() {
        return tensors.stream().mapToLong(l -> l.info().byteSize()).sum();
    }

    long totalElements() {
        return tensors.stream().mapToLong(l -> l.info().shape().elementCount()).sum();
    }
}
