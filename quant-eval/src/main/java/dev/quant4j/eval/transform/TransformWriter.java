package dev.quant4j.eval.transform;

import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a {@link TransformedModel} as a float model: replaced tensors as F32, the rest byte for byte. */
public final class TransformWriter {
    private TransformWriter() {
    }

    public static Path write(TransformedModel model, FormatProvider format, Path out) throws IOException {
        List<TensorInfo> infos = model.tensors();
        ModelLayout layout = new ModelLayout(model.metadata(), infos.stream()
                .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList());
        try (ModelWriter w = format.create(out, layout, WriteOptions.SINGLE_FILE)) {
            for (int i = 0; i < infos.size(); i++) {
                TensorView v = model.view(infos.get(i).name()); // one replaced tensor in memory at a time
                w.write(i, 0, v.data());
            }
            w.commit();
        }
        return out;
    }
}
