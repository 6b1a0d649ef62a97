package dev.quant4j.api.tensor;

import java.util.Optional;

/** Metadata value types, with the ids GGUF writes (spec/gguf.md section 3). */
public enum MetaType {
    UINT8(0, "uint8", 1), INT8(1, "int8", 1), UINT16(2, "uint16", 2), INT16(3, "int16", 2),
    UINT32(4, "uint32", 4), INT32(5, "int32", 4), FLOAT32(6, "float32", 4), BOOL(7, "bool", 1),
    STRING(8, "string", -1), ARRAY(9, "array", -1), UINT64(10, "uint64", 8), INT64(11, "int64", 8),
    FLOAT64(12, "float64", 8);

    private final int id;
    private final String label;
    private final int fixedSize;

    MetaType(int id, String label, int fixedSize) {
        this.id = id;
        this.label = label;
        this.fixedSize = fixedSize;
    }

    public int id() {
        return id;
    }

    /** Lower-case name as the JSON schema of {@code quant inspect --json} writes it. */
    public String label() {
        return label;
    }

    /** Encoded size of a scalar of this type, -1 for string and array. */
    public int fixedSize() {
        return fixedSize;
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    public static Optional<MetaType> fromId(long id) {
        for (MetaType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
