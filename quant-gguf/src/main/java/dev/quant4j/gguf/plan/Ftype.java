package dev.quant4j.gguf.plan;

import dev.quant4j.api.tensor.DType;

/**
 * llama.cpp's file types ({@code llama_ftype}, the value of {@code general.file_type}) with the tensor type
 * each assigns before the mixture rules run (mixtures.md section 1). The rules compare file types, so the CLI
 * aliases (Q4_K = Q4_K_M, ...) are not members: they resolve to the same constant in {@link FileTypeSpec}.
 */
enum Ftype {
    ALL_F32(0, DType.F32),
    MOSTLY_F16(1, DType.F16),
    Q4_0(2, DType.Q4_0),
    Q4_1(3, DType.Q4_1),
    Q8_0(7, DType.Q8_0),
    Q5_0(8, DType.Q5_0),
    Q5_1(9, DType.Q5_1),
    Q2_K(10, DType.Q2_K),
    Q3_K_S(11, DType.Q3_K),
    Q3_K_M(12, DType.Q3_K),
    Q3_K_L(13, DType.Q3_K),
    Q4_K_S(14, DType.Q4_K),
    Q4_K_M(15, DType.Q4_K),
    Q5_K_S(16, DType.Q5_K),
    Q5_K_M(17, DType.Q5_K),
    Q6_K(18, DType.Q6_K),
    IQ2_XXS(19, DType.IQ2_XXS),
    IQ2_XS(20, DType.IQ2_XS),
    Q2_K_S(21, DType.Q2_K),
    IQ3_XS(22, DType.IQ3_S),
    IQ3_XXS(23, DType.IQ3_XXS),
    IQ1_S(24, DType.IQ1_S),
    IQ4_NL(25, DType.IQ4_NL),
    IQ3_S(26, DType.IQ3_S),
    IQ3_M(27, DType.IQ3_S),
    IQ2_S(28, DType.IQ2_XS),
    IQ2_M(29, DType.IQ2_S),
    IQ4_XS(30, DType.IQ4_XS),
    IQ1_M(31, DType.IQ1_M),
    MOSTLY_BF16(32, DType.BF16),
    TQ1_0(36, DType.TQ1_0),
    TQ2_0(37, DType.TQ2_0),
    MXFP4_MOE(38, DType.MXFP4),
    /** Not accepted by llama-quantize at 34af94cd; reached here only through the single-type form {@code nvfp4}. */
    NVFP4(39, DType.NVFP4),
    Q1_0(40, DType.Q1_0),
    Q2_0(41, DType.Q2_0);

    /** Marks a file type the loader guessed from the tensor types (no {@code general.file_type} key). */
    static final int GUESSED = 1024;

    private final int id;
    private final DType defaultType;

    Ftype(int id, DType defaultType) {
        this.id = id;
        this.defaultType = defaultType;
    }

    int id() {
        return id;
    }

    DType defaultType() {
        return defaultType;
    }

    boolean in(Ftype... set) {
        for (Ftype f : set) {
            if (f == this) {
                return true;
            }
        }
        return false;
    }

    /**
     * The file type llama.cpp's loader infers from a model's most frequent tensor type; types it does not list
     * give ALL_F32. Used for COPY of a file without {@code general.file_type}.
     */
    static int guessedFrom(DType mostFrequent) {
        Ftype f = switch (mostFrequent) {
            case F32 -> ALL_F32;
            case F16 -> MOSTLY_F16;
            case BF16 -> MOSTLY_BF16;
            case Q4_0 -> Q4_0;
            case Q4_1 -> Q4_1;
            case Q5_0 -> Q5_0;
            case Q5_1 -> Q5_1;
            case Q8_0 -> Q8_0;
            case Q2_K -> Q2_K;
            case Q3_K -> Q3_K_M;
            case Q4_K -> Q4_K_M;
            case Q5_K -> Q5_K_M;
            case Q6_K -> Q6_K;
            case TQ1_0 -> TQ1_0;
            case TQ2_0 -> TQ2_0;
            case IQ2_XXS -> IQ2_XXS;
            case IQ2_XS -> IQ2_XS;
            case IQ2_S -> IQ2_S;
            case IQ3_XXS -> IQ3_XXS;
            case IQ1_S -> IQ1_S;
            case IQ1_M -> IQ1_M;
            case IQ4_NL -> IQ4_NL;
            case IQ4_XS -> IQ4_XS;
            case IQ3_S -> IQ3_S;
            case NVFP4 -> NVFP4;
            case Q1_0 -> Q1_0;
            case Q2_0 -> Q2_0;
            default -> ALL_F32;
        };
        return f.id | GUESSED;
    }
}
