package dev.quant4j.engine;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.tensor.TensorEncoding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns llama-quantize's TYPE argument into a planner and its options. TYPE is the name of an installed planner
 * other than {@code llama-cpp} (e.g. {@code bitnet-absmean}), which then plans the whole model from its own
 * options; otherwise it is a {@code llama-cpp} file type: a llama.cpp file type or ggml type name, or the name of
 * any installed quantizer that writes a ggml type (a third-party plugin), which then writes every tensor of its
 * type.
 */
public final class FileTypes {
    /** The planner of llama.cpp's file types, used unless TYPE names another planner. */
    public static final String LLAMA_CPP = "llama-cpp";

    private FileTypes() {
    }

    /**
     * The planner TYPE selects: {@code type} itself (lower-cased) when it names an installed planner other than
     * {@code llama-cpp}, else {@code llama-cpp} with {@link #plannerOptions}. A planner name wins over a quantizer
     * of the same name ({@code bitnet-absmean} is both: the planner also keeps embeddings and norms right).
     */
    public static String plannerFor(QuantRegistry registry, String type) {
        String name = type.toLowerCase(Locale.ROOT);
        return !name.equals(LLAMA_CPP) && registry.find(ProviderKind.PLANNER, name).isPresent() ? name : LLAMA_CPP;
    }

    /**
     * Why a quantizer with its own layout (INT8, INT4, FP8) cannot be a llama.cpp file type, and which formats
     * can carry it: GGUF holds ggml block types only.
     */
    static String refusal(QuantRegistry registry, String name, TensorEncoding.Custom layout) {
        List<String> others = registry.names(ProviderKind.FORMAT).stream().filter(f -> !f.equals("gguf")).toList();
        return "quantizer '" + name + "' writes its own layout (" + layout.name() + "), which GGUF files cannot "
                + "carry: GGUF holds llama.cpp's block types only. Formats that can carry it: safetensors in the "
                + "compressed-tensors layout (vLLM, transformers)" + (others.isEmpty()
                ? ", not installed in this build (installed formats: " + String.join(", ",
                        registry.names(ProviderKind.FORMAT)) + ")."
                : "; installed formats other than gguf: " + String.join(", ", others) + ".");
    }

    /** The {@code llama-cpp} planner's options for TYPE (when {@link #plannerFor} gives {@code llama-cpp}). */
    public static Map<String, String> plannerOptions(QuantRegistry registry, String type) {
        Map<String, String> o = new LinkedHashMap<>();
        String name = type.toLowerCase(Locale.ROOT);
        var entry = registry.find(ProviderKind.QUANTIZER, name);
        if (entry.isPresent()) {
            TensorEncoding enc = Workers.quantizer((dev.quant4j.api.spi.QuantizerProvider<?>) entry.get().provider(),
                    Map.of()).encoding();
            if (enc instanceof TensorEncoding.Ggml g && !g.type().lowerName().equals(name)) {
                o.put("file-type", g.type().ggmlName());
                o.put("quantizer", name);
                return o;
            }
            if (enc instanceof TensorEncoding.Custom c) {
                throw new QuantException(ErrorCode.INVALID_OPTION, refusal(registry, name, c));
            }
        }
        o.put("file-type", type);
        return o;
    }
}
