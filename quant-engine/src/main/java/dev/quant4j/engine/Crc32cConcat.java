package dev.quant4j.engine;

/**
 * CRC-32C of a concatenation from the CRCs of its parts, so that a tensor's checksum comes from the chunks
 * as they are written instead of from a second read of the output. Appending {@code len} bytes multiplies
 * the first part's remainder by x^(8 len) modulo the (reflected) Castagnoli polynomial; the pre- and
 * post-inversion of the CRC cancel in the XOR with the second part's CRC.
 */
final class Crc32cConcat {
    private static final int POLY = 0x82F63B78; // reflected Castagnoli polynomial
    private static final int ONE = 0x80000000;  // x^0 in reflected bit order
    /** x^(2^k) mod P for k = 0..66: squaring steps for exponentiation by the bits of a length in bits. */
    private static final int[] X_POW_2K = powers();

    private Crc32cConcat() {
    }

    /** CRC-32C of A followed by B, given crc(A), crc(B) and B's length in bytes. */
    static long concat(long crcA, long crcB, long lengthB) {
        if (lengthB == 0) {
            return crcA;
        }
        return (multiply(xPow8n(lengthB), (int) crcA) ^ (int) crcB) & 0xFFFFFFFFL;
    }

    /** x^(8 n) mod P. */
    private static int xPow8n(long n) {
        int p = ONE;
        int k = 3; // 8 n = n << 3
        for (; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiply(X_POW_2K[k], p);
            }
        }
        return p;
    }

    /** a * b mod P, both in reflected bit order. */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int bit = ONE; bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }

    private static int[] powers() {
        int[] t = new int[67];
        t[0] = ONE >>> 1; // x^1
        for (int k = 1; k < t.length; k++) {
            t[k] = multiply(t[k - 1], t[k - 1]);
        }
        return t;
    }
}
