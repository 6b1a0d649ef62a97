package dev.quant4j.eval.model;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The YaRN test models: reference models with {@code rope.scaling.*} keys added (same tensors). The tests build
 * them in a temporary directory; {@code tools/yarn-logits/make-reference.sh} builds them with {@link #main} to
 * run llama.cpp on them.
 */
final class YarnModels {
    /** A yarn variant of a reference model: scale factor, original context (0 = absent), attn factor (0 = absent). */
    record Variant(String name, String base, String arch, float factor, int originalContext, float attnFactor) {
        /** The base model's path under ../shared. */
        String source() {
            return base.equals("stories260K") ? "models/stories260K.gguf" : "reference/eval/models/" + base + ".gguf";
        }

        Path write(QuantRegistry registry, Path src, Path dir) throws IOException {
            return Models.withMetadata(registry, src, dir.resolve(name + ".gguf"), this::edit);
        }

        private Metadata edit(Metadata m) {
            String p = arch + ".rope.scaling.";
            m = m.with(p + "type", new MetaValue.Text("yarn"))
                    .with(p + "factor", new MetaValue.Real(MetaType.FLOAT32, factor));
            if (originalContext > 0) {
                m = m.with(p + "original_context_length", new MetaValue.Int(MetaType.UINT32, originalContext));
            }
            if (attnFactor > 0) {
                m = m.with(p + "attn_factor", new MetaValue.Real(MetaType.FLOAT32, attnFactor));
            }
            return m;
        }
    }

    /**
     * stories260K (llama, NORM, 4 pairs per head, context 2048): factor 4, original context 256, so the ramp spans
     * pairs 0..2. synth-qwen2 (NEOX, 32 pairs, base 1e6, context 512): factor 4, no original-context key (the
     * context length stands in), attn factor 0.9: the ramp spans pairs 2..11.
     */
    static final List<Variant> VARIANTS = List.of(
            new Variant("stories260K-yarn", "stories260K", "llama", 4f, 256, 0f),
            new Variant("synth-qwen2-yarn", "synth-qwen2", "qwen2", 4f, 0, 0.9f));

    /** The logits rows stored in the test resources (of the 64 positions of logits/M.ids). */
    static final int[] ROWS = {7, 15, 23, 31, 39, 47, 55, 63};

    private YarnModels() {
    }

    /** Writes every variant into DIR: {@code java -cp ... YarnModels SHARED DIR}. */
    public static void main(String[] args) throws IOException {
        Path shared = Path.of(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        QuantRegistry registry = QuantRegistry.load(YarnModels.class.getClassLoader());
        for (Variant v : VARIANTS) {
            v.write(registry, shared.resolve(v.source()), dir);
        }
    }
}
