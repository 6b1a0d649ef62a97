package dev.quant4j.kernels;

/**
 * The 12-byte packing of eight 6-bit scales and eight 6-bit mins used by Q4_K and Q5_K (spec section 2.6):
 * bytes 0-3 hold {@code sc[0..3]} in their low six bits and the top two bits of {@code sc[4..7]};
 * bytes 4-7 likewise for mins; bytes 8-11 hold the low nibbles of {@code sc[4..7]} and {@code m[4..7]}.
 */
public final class KScalePacking {
    /** Packed size in bytes. */
    public static final int BYTES = 12;

    private KScalePacking() {
    }

    /**
     * Packs {@code sc[scOff .. +8)} and {@code m[mOff .. +8)} (each meant to be 0..63) into
     * {@code out[off .. off+12)}. Byte semantics are upstream's exactly: values are not masked, so an
     * out-of-range level (only possible from a wrapped {@code make_qp_quants} level) spills as it does in C.
     */
    public static void pack(byte[] sc, int scOff, byte[] m, int mOff, byte[] out, int off) {
        for (int k = 0; k < 4; k++) {
            int sHi = sc[scOff + k + 4] & 0xFF;
            int mHi = m[mOff + k + 4] & 0xFF;
            out[off + k] = (byte) (sc[scOff + k] | (sHi >> 4) << 6);
            out[off + 4 + k] = (byte) (m[mOff + k] | (mHi >> 4) << 6);
            out[off + 8 + k] = (byte) ((sHi & 15) | (mHi & 15) << 4);
        }
    }

    /** The scale of sub-block {@code j} (0..7) from the 12 bytes at {@code s[off ..]}. */
    public static int scale(byte[] s, int off, int j) {
        if (j < 4) {
            return s[off + j] & 63;
        }
        return (s[off + j + 4] & 15) | ((s[off + j - 4] & 0xFF) >> 6) << 4;
    }

    /** The min of sub-block {@code j} (0..7) from the 12 bytes at {@code s[off ..]}. */
    public static int min(byte[] s, int off, int j) {
        if (j < 4) {
            return s[off + j + 4] & 63;
        }
        return ((s[off + j + 4] & 0xFF) >> 4) | ((s[off + j] & 0xFF) >> 6) << 4;
    }
}
