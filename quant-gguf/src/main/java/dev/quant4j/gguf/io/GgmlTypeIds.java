package dev.quant4j.gguf.io;

import dev.quant4j.api.tensor.DType;
import java.util.Map;
import java.util.Optional;

/**
 * ggml type ids as GGUF tensor infos carry them (spec/gguf.md section 6). Every live id maps to a {@link DType};
 * ids ggml removed are named so the error can say what the file holds.
 */
final class GgmlTypeIds {
    /** One past the highest id ggml knows (GGML_TYPE_COUNT). */
    static final int COUNT = 43;

    private static final Map<Integer, String> REMOVED = Map.of(
            4, "Q4_2", 5, "Q4_3",
            31, "Q4_0_4_4", 32, "Q4_0_4_8", 33, "Q4_0_8_8",
            36, "IQ4_NL_4_4", 37, "IQ4_NL_4_8", 38, "IQ4_NL_8_8");

    private GgmlTypeIds() {
    }

    static Optional<DType> live(long id) {
        return id >= 0 && id < COUNT ? DType.fromId((int) id) : Optional.empty();
    }

    /** Why {@code id} is not a type a file may carry. */
    static String problem(long id) {
        String removed = REMOVED.get((int) Math.min(id, Integer.MAX_VALUE));
        if (removed != null) {
            return "ggml type id " + id + " (" + removed + ") was removed from GGUF; llama.cpp refuses it too."
                    + " Re-convert the model from its original weights";
        }
        return "unknown ggml type id " + Long.toUnsignedString(id) + " (known ids are 0.." + (COUNT - 1) + ")";
    }
}
