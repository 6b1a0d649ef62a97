package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.TensorInfo;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order llama.cpp's model loader keeps tensors in, which is the order llama-quantize visits and writes them
 * (gguf.md section 9): by the layer number of a leading {@code blk.<N>.} (-1 without one), then by name byte-wise.
 * The mixture rules' counters depend on this order.
 */
final class LoaderOrder {
    static final Comparator<String> NAMES = Comparator.comparingInt(LoaderOrder::layerOf)
            .thenComparing(LoaderOrder::compareBytes);

    private LoaderOrder() {
    }

    static List<TensorInfo> sort(List<TensorInfo> tensors) {
        return tensors.stream().sorted(Comparator.comparing(TensorInfo::name, NAMES)).toList();
    }

    /**
     * The layer as C's {@code sscanf(name, "blk.%d.", &layer)} reads it: the literal {@code blk.}, then an
     * integer (leading white space and a sign allowed); -1 when that fails. Like sscanf, the trailing dot is
     * not required for the number to count.
     */
    static int layerOf(String name) {
        if (!name.startsWith("blk.")) {
            return -1;
        }
        int i = 4;
        while (i < name.length() && " \t\n\u000b\f\r".indexOf(name.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < name.length() && (name.charAt(i) == '+' || name.charAt(i) == '-')) {
            negative = name.charAt(i) == '-';
            i++;
        }
        int start = i;
        long value = 0;
        while (i < name.length() && name.charAt(i) >= '0' && name.charAt(i) <= '9') {
            value = Math.min(value * 10 + (name.charAt(i) - '0'), Integer.MAX_VALUE + 1L);
            i++;
        }
        if (i == start) {
            return -1;
        }
        long signed = negative ? -value : value;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, signed));
    }

    /** std::string's operator&lt;: unsigned byte-wise comparison of the UTF-8 encodings. */
    static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
