import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.engine.DemoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the benchmark model of bench/compare-llama-perplexity.sh: the demo generator's TinyLlama shapes with
 * LAYERS blocks (dim 2048, ffn 5632, 32/4 heads, 32,000 tokens; 8 layers = 483 M parameters, F16) plus the
 * tokenizer.ggml.* keys of a llama SPM vocabulary file, so that both llama-perplexity and quant perplexity run it.
 * Run: java --add-modules jdk.incubator.vector -cp CLASSPATH bench/TinyLlamaModel.java OUT.gguf VOCAB.gguf [LAYERS]
 */
public class TinyLlamaModel {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path vocab = Path.of(args[1]);
        int layers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        QuantRegistry registry = QuantRegistry.load(TinyLlamaModel.class.getClassLoader());
        Path raw = Files.createTempFile(out.toAbsolutePath().getParent(), "demo-", ".gguf");
        try {
            new DemoModel(layers, 2048, 5632, 32, 4, 32000, 42).write(registry, raw);
            List<Metadata.Entry> tok = new ArrayList<>();
            try (ModelReader v = registry.format("gguf").open(vocab)) {
                for (Metadata.Entry e : v.metadata().entries()) {
                    if (e.key().startsWith("tokenizer.")) {
                        tok.add(e);
                    }
                }
            }
            try (ModelReader r = registry.format("gguf").open(raw)) {
                Metadata meta = r.metadata();
                for (Metadata.Entry e : tok) {
                    meta = meta.with(e.key(), e.value());
                }
                List<TensorInfo> tensors = r.tensors();
                ModelLayout layout = new ModelLayout(meta, r.layout().tensors());
                try (ModelWriter w = registry.format("gguf").create(out, layout, WriteOptions.SINGLE_FILE)) {
                    for (int i = 0; i < tensors.size(); i++) {
                        w.tensorData(i).copyFrom(r.view(tensors.get(i)).data());
                    }
                    w.commit();
                }
            }
        } finally {
            Files.deleteIfExists(raw);
        }
        System.out.printf("wrote %s (%d bytes, %d layers)%n", out, Files.size(out), layers);
    }
}
