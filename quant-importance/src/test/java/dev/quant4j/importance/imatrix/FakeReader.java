package dev.quant4j.importance.imatrix;

import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory container of F32 tensors, to feed the GGUF imatrix reader hand-made entries. */
final class FakeReader implements ModelReader {
    private final Path path;
    private final Metadata metadata;
    private final Map<String, TensorView> views = new LinkedHashMap<>();
    private final List<TensorInfo> infos = new ArrayList<>();

    FakeReader(Path path, Metadata metadata) {
        this.path = path;
        this.metadata = metadata;
    }

    /** Metadata of a well-formed imatrix with one dataset and 3 chunks. */
    static Metadata imatrixMetadata() {
        return new Metadata(List.of(
                new Metadata.Entry("general.type", MetaValue.text("imatrix")),
                new Metadata.Entry("imatrix.datasets", new MetaValue.Array(MetaType.STRING,
                        List.of(MetaValue.text("calib.txt")))),
                new Metadata.Entry("imatrix.chunk_count", MetaValue.u32(3)),
                new Metadata.Entry("imatrix.chunk_size", MetaValue.u32(512))));
    }

    FakeReader add(String name, float[] values, long... ne) {
        Shape shape = Shape.of(ne);
        TensorView v = TensorView.ofFloats(name, shape, values);
        infos.add(new TensorInfo(name, DType.F32, shape, 64L * infos.size(), 4L * values.length));
        views.put(name, v);
        return this;
    }

    FakeReader addF16(String name, long n) {
        Shape shape = Shape.of(n);
        infos.add(new TensorInfo(name, DType.F16, shape, 0, 2 * n));
        return this;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public ContainerInfo container() {
        return new ContainerInfo("gguf", 3, 32, 1024, List.of(path));
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public List<TensorInfo> tensors() {
        return infos;
    }

    @Override
    public TensorView view(TensorInfo tensor) {
        return views.get(tensor.name());
    }

    @Override
    public void close() {
    }
}
