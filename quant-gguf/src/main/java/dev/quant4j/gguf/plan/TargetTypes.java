package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;
import java.util.Arrays;
import java.util.List;

/** Which ggml types can be chosen for a weight, and parsing of the type options. */
final class TargetTypes {
    private TargetTypes() {
    }

    /**
     * True for the types ggml can quantize or convert a weight into: floats F32/F16/BF16 and every block type
     * except the dot-product intermediates Q8_1 and Q8_K (which ggml refuses to write as weights).
     */
    static boolean isWritable(DType t) {
        return switch (t) {
            case F32, F16, BF16 -> true;
            case Q8_1, Q8_K -> false;
            default -> t.isQuantized();
        };
    }

    /** A ggml type name as llama-quantize's type options take it (case-insensitive; numbers are refused). */
    static DType parse(String option, String text) {
        DType t = DType.fromName(text.trim()).orElseThrow(() -> new IllegalArgumentException(
                option + ": invalid ggml type '" + text + "'; use one of " + writableNames()));
        if (!isWritable(t)) {
            throw new IllegalArgumentException(option + ": " + t.ggmlName()
                    + " cannot hold model weights; use one of " + writableNames());
        }
        return t;
    }

    static List<String> writableNames() {
        return Arrays.stream(DType.values()).filter(TargetTypes::isWritable).map(DType::ggmlName).toList();
    }
}
