package dev.quant4j.kernels;

/**
 * The 2-bit "four-quarter" packing of 256 levels into 64 bytes (Q2_K, and the low bits of Q3_K; spec section
 * 2.7): element {@code 128h + 32j + l} lives in byte {@code 32h + l}, bits {@code 2j .. 2j+1}.
 */
public final class QuarterPacking {
    /** Packed size in bytes. */
    public static final int BYTES = 64;

    private QuarterPacking() {
    }

    /** Packs the low two bits of {@code L[lOff .. lOff+256)} into {@code out[off .. off+64)}. */
    public static void pack(byte[] L, int lOff, byte[] out, int off) {
        for (int h = 0; h < 2; h++) {
            int b = lOff + 128 * h;
            for (int l = 0; l < 32; l++) {
                out[off + 32 * h + l] = (byte) ((L[b + l] & 3) | (L[b + l + 32] & 3) << 2
                        | (L[b + l + 64] & 3) << 4 | (L[b + l + 96] & 3) << 6);
            }
        }
    }

    /** The 2-bit level of element {@code e} (0..255) of the 64 bytes at {@code qs[off ..]}. */
    public static int level(byte[] qs, int off, int e) {
        int h = e >> 7;
        int j = (e >> 5) & 3;
        int l = e & 31;
        return (qs[off + 32 * h + l] >> (2 * j)) & 3;
    }
}
