package dev.quant4j.eval.probe;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An open model with some tensors replaced by in-memory ones (another type, same name and shape). Closing it
 * leaves the underlying reader open: the probe reuses that for every measurement.
 */
final class SubstitutedReader implements ModelReader {
    private final ModelReader base;
    private final Map<String, TensorView> substitutes = new HashMap<>();
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> known = new HashMap<>();

    SubstitutedReader(ModelReader base, List<TensorView> replaced) {
        this.base = base;
        base.tensors().forEach(t -> known.put(t.name(), t));
        for (TensorView v : replaced) {
            TensorInfo t = known.get(v.name());
            if (t == null || !t.shape().equals(v.shape())) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "quality probe: " + base.path() + (t == null
                        ? " has no tensor '" + v.name() + "'"
                        : ": tensor '" + v.name() + "' has shape " + t.shape() + ", the substitute " + v.shape()));
            }
            substitutes.put(v.name(), v);
        }
        this.tensors = base.tensors().stream().map(t -> {
            TensorView v = substitutes.get(t.name());
            return v == null ? t : new TensorInfo(t.name(), v.type(), t.shape(), t.offset(), v.data().byteSize());
        }).toList();
    }

    @Override
    public Path path() {
        return base.path();
    }

    @Override
    public ContainerInfo container() {
        return base.container();
    }

    @Override
    public Metadata metadata() {
        return base.metadata();
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public TensorView view(TensorInfo tensor) throws IOException {
        TensorView v = substitutes.get(tensor.name());
        if (v != null) {
            return v;
        }
        TensorInfo t = known.get(tensor.name());
        if (t == null) {
            throw new QuantException(ErrorCode.INVALID_PLAN, base.path() + " has no tensor '" + tensor.name() + "'");
        }
        return base.view(t);
    }

    @Override
    public void close() {
        // the base reader belongs to the probe
    }
}
