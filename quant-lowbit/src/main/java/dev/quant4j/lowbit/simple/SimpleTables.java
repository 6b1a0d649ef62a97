package dev.quant4j.lowbit.simple;

/**
 * The small ggml constant tables these types need (spec/quant-types.md section 11), inlined because they are
 * format constants; SimpleTablesTest checks them against the SHA-256 sums of spec/tables/README.md.
 * Accessors hand out copies so the tables stay immutable.
 */
public final class SimpleTables {
    /** ggml {@code kvalues_iq4nl}: the 16 non-linear levels of IQ4_NL and IQ4_XS, sorted ascending. */
    static final byte[] KVALUES_IQ4NL = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    /** ggml {@code kvalues_mxfp4}: the E2M1 values times two, index = the 4-bit code. */
    static final byte[] KVALUES_MXFP4 = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    /** {@code pow3} of ggml's TQ1_0 dequantizer: shifting a base-3 digit to the top of a byte. */
    static final int[] POW3 = {1, 3, 9, 27, 81, 243};

    private SimpleTables() {
    }

    public static byte[] kvaluesIq4nl() {
        return KVALUES_IQ4NL.clone();
    }

    public static byte[] kvaluesMxfp4() {
        return KVALUES_MXFP4.clone();
    }

    public static int[] pow3() {
        return POW3.clone();
    }
}
