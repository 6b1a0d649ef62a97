package dev.quant4j.safetensors.ct;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.ModelLayout;
import dev.quant4j.api.spi.ModelWriter;
import dev.quant4j.api.spi.QuantizerLookup;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.safetensors.io.SafetensorsReader;
import dev.quant4j.safetensors.io.SafetensorsWriter;
import dev.quant4j.api.json.JsonValue;
import dev.quant4j.api.json.JsonException;
import dev.quant4j.api.json.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a Hugging Face directory as a compressed-tensors checkpoint vLLM loads: every Linear weight of the decoder
 * layers compressed with the scheme's quantizer (RTN, reached through the registry; {@link CtCompressor}), every other tensor (embeddings, norms, lm_head —
 * {@code ignore: ["lm_head"]}) copied, model.safetensors (sharded with an index past {@code maxShardBytes}),
 * config.json with quantization_config, and the tokenizer/generation files copied. Tensors stream one at a time.
 */
public final class CtExport {
    // attention and MLP projections, one expert's (Qwen-MoE's experts.E / shared_expert, Mixtral's w1/w2/w3) included
    private static final Pattern LINEAR = Pattern.compile("model\\.layers\\.\\d+\\.(?:(?:self_attn|mlp)\\."
            + "(?:(?:experts\\.\\d+|shared_expert)\\.)?[a-z_]+_proj|block_sparse_moe\\.experts\\.\\d+\\.w[123])\\.weight");

    private CtExport() {
    }

    /**
     * The files written. The output directory must not exist or be empty. The weights are quantized by the scheme's
     * quantizer from {@code installed} (the registry's quantizers).
     */
    public static List<Path> write(Path hfDir, Path outDir, CtScheme scheme, WriteOptions options,
                                   QuantizerLookup installed) throws IOException {
        JsonValue.Obj config;
        try {
            config = (JsonValue.Obj) JsonParser.parse(Files.readString(hfDir.resolve("config.json")));
        } catch (JsonException | ClassCastException e) {
            throw new QuantException(ErrorCode.INVALID_PLAN, hfDir.resolve("config.json") + ": not a JSON object: " + e.getMessage());
        }
        Files.createDirectories(outDir);
        try (Stream<Path> s = Files.list(outDir)) {
            if (s.findAny().isPresent()) {
                throw new QuantException(ErrorCode.INVALID_OPTION, outDir + " is not empty; give a new directory");
            }
        }
        List<Path> written = new ArrayList<>();
        try (SafetensorsReader r = SafetensorsReader.open(hfDir)) {
            List<CtInput> inputs = new ArrayList<>();
            for (TensorInfo t : r.tensors()) {
                inputs.add(new CtInput(t.name(), t.type(), t.shape(), () -> r.view(t)));
            }
            written.addAll(writeTensors(inputs, outDir.resolve("model.safetensors"),
                    new CtWeights(scheme, null, Map.of(), installed), options));
        }
        Path cfg = outDir.resolve("config.json");
        Files.writeString(cfg, CtConfig.configJson(config, scheme));
        written.add(cfg);
        written.addAll(copyModelFiles(hfDir, outDir));
        return written;
    }

    /**
     * Writes {@code inputs} (Hugging Face names, HF layout) sorted by name as {@code file} (sharded per
     * {@code splitting}): every Linear compressed by {@code weights}' quantizer, everything else copied.
     */
    static List<Path> writeTensors(List<CtInput> inputs, Path file, CtWeights weights, WriteOptions splitting)
            throws IOException {
        CtScheme scheme = weights.scheme();
        List<CtInput> sources = new ArrayList<>(inputs);
        sources.sort(Comparator.comparing(CtInput::name));
        List<ModelLayout.TensorSlot> slots = new ArrayList<>();
        for (CtInput t : sources) {
            if (isLinear(t.name(), t.shape())) {
                slots.addAll(CtCompressor.layout(prefix(t.name()), t.shape(), scheme, weights.scaleType(t.type())));
            } else {
                slots.add(new ModelLayout.TensorSlot(t.name(), t.type(), t.shape(), TensorInfo.byteSize(t.type(), t.shape())));
            }
        }
        ModelLayout layout = new ModelLayout(new Metadata(List.of(new Metadata.Entry("format",
                new MetaValue.Text("pt")))), slots);
        try (ModelWriter w = SafetensorsWriter.create(file, layout, splitting.splitting())) {
            int i = 0;
            for (CtInput t : sources) {
                TensorView v = t.view().get();
                if (isLinear(t.name(), t.shape())) {
                    for (CtTensor c : CtCompressor.compress(prefix(t.name()), v, scheme,
                            weights.scaleType(t.type()), weights.quantizer(t.type()))) {
                        w.write(i++, 0, c.data());
                    }
                } else {
                    w.write(i++, 0, v.data());
                }
            }
            w.commit();
            return w.files();
        }
    }

    /** Copies the tokenizer, generation and other small model files (not weights, not config.json, not logs). */
    public static List<Path> copyModelFiles(Path hfDir, Path outDir) throws IOException {
        List<Path> written = new ArrayList<>();
        try (Stream<Path> s = Files.list(hfDir)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                boolean copy = Files.isRegularFile(p) && !n.equals("config.json") && !n.endsWith(".safetensors")
                        && !n.endsWith(".safetensors.index.json") && !n.startsWith("convert-")
                        && (n.endsWith(".json") || n.endsWith(".model") || n.endsWith(".jinja") || n.equals("merges.txt")
                        || n.equals("vocab.txt"));
                if (copy) {
                    written.add(Files.copy(p, outDir.resolve(n), StandardCopyOption.COPY_ATTRIBUTES));
                }
            }
        }
        return written;
    }

    /** A Linear weight of a decoder layer (lm_head is ignored, as llm-compressor's presets do). */
    static boolean isLinear(TensorInfo t) {
        return isLinear(t.name(), t.shape());
    }

    static boolean isLinear(String name, Shape shape) {
        return shape.rank() == 2 && LINEAR.matcher(name).matches();
    }

    private static String prefix(String name) {
        return name.substring(0, name.length() - ".weight".length());
    }
}
