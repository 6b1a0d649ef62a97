package dev.quant4j.eval.model;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Test helper: a copy of a GGUF model with edited metadata (same tensors, same bytes). */
final class Models {
    private Models() {
    }

    static Path withMetadata(QuantRegistry registry, Path src, Path dst, UnaryOperator<Metadata> edit)
            throws IOException {
        FormatProvider gguf = registry.format("gguf");
        try (ModelReader r = gguf.open(src)) {
            ModelLayout layout = r.layout();
            ModelLayout edited = new ModelLayout(edit.apply(layout.metadata()), layout.tensors());
            try (ModelWriter w = gguf.create(dst, edited, WriteOptions.SINGLE_FILE)) {
                for (int i = 0; i < r.tensors().size(); i++) {
                    MemorySegment data = r.view(r.tensors().get(i)).data();
                    w.write(i, 0, data);
                }
                w.commit();
            }
        }
        return dst;
    }
}
