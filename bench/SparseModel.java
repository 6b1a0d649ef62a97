import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.engine.DemoModel;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a llama-shaped F16 GGUF of about SIZE bytes whose tensor data is a sparse hole (all zeros): a model
 * of any size in a second and no disk space, for memory measurements. Run with the distribution's classpath:
 *   java -cp 'DIST/lib/*' bench/SparseModel.java 10G out.gguf
 */
public class SparseModel {
    public static void main(String[] args) throws Exception {
        String s = args[0].toUpperCase();
        long unit = s.endsWith("G") ? 1L << 30 : s.endsWith("M") ? 1L << 20 : 1;
        long bytes = (long) (Double.parseDouble(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit);
        DemoModel model = DemoModel.ofSize(bytes, 42);
        List<TensorInfo> tensors = model.tensors();
        ModelLayout layout = new ModelLayout(model.metadata(), tensors.stream()
                .map(t -> new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), t.byteSize())).toList());
        QuantRegistry registry = QuantRegistry.load(SparseModel.class.getClassLoader());
        try (ModelWriter w = registry.format("gguf").create(Path.of(args[1]), layout, WriteOptions.SINGLE_FILE.withSync(false))) {
            w.commit();
        }
        System.out.println(args[1] + ": " + model.layers() + " layers, " + model.dataBytes() + " bytes of zeros");
    }
}
