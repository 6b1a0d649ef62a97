package dev.quant4j.lowbit.simple;

import dev.quant4j.kernels.Half;

/**
 * Bit packing of the ggml ternary layouts (spec section 6): trits {@code t = q + 1} in {0, 1, 2} of one
 * 256-element block plus an fp16 scale, and llama.cpp's decoding {@code y = (t - 1) * f32(d)}. Shared by the
 * TQ1_0/TQ2_0 quantizers and the BitNet absmean quantizer, which only differ in how they pick scale and trits.
 */
public final class TernaryCodec {
    public static final int QK = 256;
    public static final int TQ1_BYTES = 54;
    public static final int TQ2_BYTES = 66;
    private static final int TQ1_QS = 48;
    private static final int TQ1_D = 52;
    private static final int TQ2_D = 64;

    private TernaryCodec() {
    }

    /** Writes one TQ1_0 block of trits {@code t[0..256)} and fp16 scale bits {@code d} to {@code out[o..o+54)}. */
    public static void packTq1(byte[] t, short d, byte[] out, int o) {
        // 32 bytes of 5 trits: elements m + 32n, first trit most significant
        for (int m = 0; m < 32; m++) {
            out[o + m] = ceilToByte(((((t[m] * 3 + t[m + 32]) * 3 + t[m + 64]) * 3 + t[m + 96]) * 3) + t[m + 128]);
        }
        // 16 bytes of 5 trits: elements 160 + 16n + m
        for (int m = 0; m < 16; m++) {
            int e = 160 + m;
            out[o + 32 + m] = ceilToByte(((((t[e] * 3 + t[e + 16]) * 3 + t[e + 32]) * 3 + t[e + 48]) * 3) + t[e + 64]);
        }
        // 4 bytes of 4 trits (a fifth, zero trit below): elements 240 + 4n + j
        for (int j = 0; j < 4; j++) {
            int e = 240 + j;
            out[o + TQ1_QS + j] = ceilToByte((((t[e] * 3 + t[e + 4]) * 3 + t[e + 8]) * 3 + t[e + 12]) * 3);
        }
        out[o + TQ1_D] = (byte) d;
        out[o + TQ1_D + 1] = (byte) (d >> 8);
    }

    /** Writes one TQ2_0 block of trits {@code t[0..256)} and fp16 scale bits {@code d} to {@code out[o..o+66)}. */
    public static void packTq2(byte[] t, short d, byte[] out, int o) {
        for (int g = 0; g < 2; g++) {
            for (int m = 0; m < 32; m++) {
                int e = 128 * g + m;
                out[o + 32 * g + m] = (byte) (t[e] | t[e + 32] << 2 | t[e + 64] << 4 | t[e + 96] << 6);
            }
        }
        out[o + TQ2_D] = (byte) d;
        out[o + TQ2_D + 1] = (byte) (d >> 8);
    }

    /** Decodes one TQ1_0 block at {@code src[o..]} into {@code dst[d0..d0+256)}. */
    public static void unpackTq1(byte[] src, int o, float[] dst, int d0) {
        float d = Half.f32((short) ((src[o + TQ1_D] & 0xFF) | src[o + TQ1_D + 1] << 8));
        for (int n = 0; n < 5; n++) {
            for (int m = 0; m < 32; m++) {
                dst[d0 + 32 * n + m] = (float) (trit(src[o + m], n) - 1) * d;
            }
        }
        for (int n = 0; n < 5; n++) {
            for (int m = 0; m < 16; m++) {
                dst[d0 + 160 + 16 * n + m] = (float) (trit(src[o + 32 + m], n) - 1) * d;
            }
        }
        for (int n = 0; n < 4; n++) {
            for (int j = 0; j < 4; j++) {
                dst[d0 + 240 + 4 * n + j] = (float) (trit(src[o + TQ1_QS + j], n) - 1) * d;
            }
        }
    }

    /** Decodes one TQ2_0 block at {@code src[o..]} into {@code dst[d0..d0+256)}. */
    public static void unpackTq2(byte[] src, int o, float[] dst, int d0) {
        float d = Half.f32((short) ((src[o + TQ2_D] & 0xFF) | src[o + TQ2_D + 1] << 8));
        for (int g = 0; g < 2; g++) {
            for (int n = 0; n < 4; n++) {
                for (int m = 0; m < 32; m++) {
                    int q = (src[o + 32 * g + m] >> 2 * n) & 3;
                    dst[d0 + 128 * g + 32 * n + m] = (float) (q - 1) * d;
                }
            }
        }
    }

    /** Base-3 value {@code v} (at most 242) scaled into a byte so the top trit reads back by multiplication. */
    private static byte ceilToByte(int v) {
        return (byte) ((v * 256 + 242) / 243);
    }

    /** Trit {@code n} (0 = most significant) of a TQ1_0 byte: rotate it to the top, then read it with {@code *3 >> 8}. */
    private static int trit(byte b, int n) {
        int p = ((b & 0xFF) * SimpleTables.POW3[n]) & 0xFF;
        return (p * 3) >> 8;
    }
}
