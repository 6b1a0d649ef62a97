package dev.quant4j.gguf.plan;

import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.gguf.io.GgufFormatProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A GGUF file's metadata and tensor list, read with the module's own reader, for the planner tests. */
record TestGguf(Path file, Metadata metadata, List<TensorInfo> tensors) {
    static TestGguf read(Path file) throws IOException {
        try (ModelReader r = new GgufFormatProvider().open(file)) {
            return new TestGguf(file, r.metadata(), r.tensors());
        }
    }

    /** The values of an F32 tensor. */
    float[] floats(String name) throws IOException {
        try (ModelReader r = new GgufFormatProvider().open(file)) {
            TensorInfo t = r.tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            float[] out = new float[Math.toIntExact(t.shape().elementCount())];
            r.view(t).readRows(0, Math.toIntExact(t.shape().rows()), out, 0);
            return out;
        }
    }
}
