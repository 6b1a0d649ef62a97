package dev.quant4j.engine;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.tensor.TensorEncoding;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns llama-quantize's TYPE argument into {@code llama-cpp} planner options. TYPE is a llama.cpp file type
 * or ggml type name, or the name of any installed quantizer that writes a ggml type (a third-party plugin):
 * that quantizer then writes every tensor of its type.
 */
public final class FileTypes {
    private FileTypes() {
    }

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
        }
        o.put("file-type", type);
        return o;
    }
}
