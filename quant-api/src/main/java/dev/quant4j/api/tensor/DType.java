package dev.quant4j.api.tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Element types of tensor data: the ggml type catalogue (ids as written in GGUF, see spec/gguf.md section 6).
 * An enum because the catalogue is closed and each member carries its wire id and block geometry.
 * Ids that ggml removed are absent; {@link #fromId(int)} rejects them.
 */
public enum DType {
    F32(0, "f32", 1, 4),
    F16(1, "f16", 1, 2),
    Q4_0(2, "q4_0", 32, 18),
    Q4_1(3, "q4_1", 32, 20),
    Q5_0(6, "q5_0", 32, 22),
    Q5_1(7, "q5_1", 32, 24),
    Q8_0(8, "q8_0", 32, 34),
    Q8_1(9, "q8_1", 32, 36),
    Q2_K(10, "q2_K", 256, 84),
    Q3_K(11, "q3_K", 256, 110),
    Q4_K(12, "q4_K", 256, 144),
    Q5_K(13, "q5_K", 256, 176),
    Q6_K(14, "q6_K", 256, 210),
    Q8_K(15, "q8_K", 256, 292),
    IQ2_XXS(16, "iq2_xxs", 256, 66),
    IQ2_XS(17, "iq2_xs", 256, 74),
    IQ3_XXS(18, "iq3_xxs", 256, 98),
    IQ1_S(19, "iq1_s", 256, 50),
    IQ4_NL(20, "iq4_nl", 32, 18),
    IQ3_S(21, "iq3_s", 256, 110),
    IQ2_S(22, "iq2_s", 256, 82),
    IQ4_XS(23, "iq4_xs", 256, 136),
    I8(24, "i8", 1, 1),
    I16(25, "i16", 1, 2),
    I32(26, "i32", 1, 4),
    I64(27, "i64", 1, 8),
    F64(28, "f64", 1, 8),
    IQ1_M(29, "iq1_m", 256, 56),
    BF16(30, "bf16", 1, 2),
    TQ1_0(34, "tq1_0", 256, 54),
    TQ2_0(35, "tq2_0", 256, 66),
    MXFP4(39, "mxfp4", 32, 17),
    NVFP4(40, "nvfp4", 64, 36),
    Q1_0(41, "q1_0", 128, 18),
    Q2_0(42, "q2_0", 64, 18),
    // Not ggml types: element types of other containers (safetensors), ids from NON_GGML_BASE up, never in GGUF.
    F8_E4M3(1000, "f8_e4m3", 1, 1),
    F8_E5M2(1001, "f8_e5m2", 1, 1),
    U8(1002, "u8", 1, 1);

    /** Ids from here up are not ggml type ids: these types exist in other containers only. */
    public static final int NON_GGML_BASE = 1000;

    private static final DType[] BY_ID = new DType[64];

    static {
        for (DType t : values()) {
            if (t.id >= NON_GGML_BASE) {
                continue;
            }
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final String ggmlName;
    private final int blockSize;
    private final int blockBytes;

    DType(int id, String ggmlName, int blockSize, int blockBytes) {
        this.id = id;
        this.ggmlName = ggmlName;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** The ggml type id written in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** ggml's own spelling, e.g. {@code q4_K}. */
    public String ggmlName() {
        return ggmlName;
    }

    /** Lower-case name, e.g. {@code q4_k}; also the name of the quantizer that writes this type. */
    public String lowerName() {
        return ggmlName.toLowerCase(Locale.ROOT);
    }

    /** Elements per block (1 for plain number types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    public double bitsPerWeight() {
        return 8.0 * blockBytes / blockSize;
    }

    /** True for F32, F16, BF16, F64 and the FP8 types: types a {@link TensorView} converts to float itself. */
    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64 || this == F8_E4M3 || this == F8_E5M2;
    }

    /** True for the types a GGUF file can hold (a ggml type id). */
    public boolean isGgml() {
        return id < NON_GGML_BASE;
    }

    /** True for block-quantized types. */
    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Bytes one row of {@code rowLength} elements takes; -1 when the row is not a whole number of blocks. */
    public long rowBytes(long rowLength) {
        if (rowLength % blockSize != 0) {
            return -1;
        }
        return Math.multiplyExact(rowLength / blockSize, (long) blockBytes);
    }

    public static Optional<DType> fromId(int id) {
        return id >= 0 && id < BY_ID.length ? Optional.ofNullable(BY_ID[id]) : Optional.empty();
    }

    /** Case-insensitive lookup by ggml name ({@code Q4_K}, {@code q4_k}, {@code q4_K}). */
    public static Optional<DType> fromName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.lowerName().equals(lower)).findFirst();
    }
}
