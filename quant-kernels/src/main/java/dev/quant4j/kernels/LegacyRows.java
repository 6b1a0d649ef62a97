package dev.quant4j.kernels;

/**
 * The reference (no importance) encoders of the 32-value legacy types, spec/quant-types.md sections 3.1-3.5:
 * whole rows of {@code n} values (a multiple of 32) read in place from {@code x[xOff ..]} and written as ggml
 * blocks straight into {@code out[off ..]}. {@link #scalar()} is the oracle; {@link #create()} gives the
 * vectorized one when {@link Vectorization#enabled()} (once the JIT has compiled it, see {@link WarmGate}), which
 * yields identical bytes.
 */
public interface LegacyRows {
    /** Q8_0: fp16 d, 32 int8 levels. */
    void q8_0(float[] x, int xOff, int n, byte[] out, int off);

    /** Q4_0 ({@code bits = 4}) or Q5_0 ({@code bits = 5}, with the fifth bits in a uint32 qh). */
    default void symmetric(int bits, float[] x, int xOff, int n, byte[] out, int off) {
        symmetric(bits, x, xOff, n, out, off, null, 0);
    }

    /**
     * As {@link #symmetric(int, float[], int, int, byte[], int)}, and when {@code restored} is not null also the
     * decoded row, {@code (level - 2^(bits-1)) * fp16(d)} as the block decoder computes it, into
     * {@code restored[rOff .. rOff + n)}: the round-trip error without decoding the bytes again.
     */
    void symmetric(int bits, float[] x, int xOff, int n, byte[] out, int off, float[] restored, int rOff);

    /** Q4_1 ({@code bits = 4}) or Q5_1 ({@code bits = 5}). */
    void affine(int bits, float[] x, int xOff, int n, byte[] out, int off);

    /** The fastest available implementation (stateless, thread safe). */
    static LegacyRows create() {
        return Vectorization.enabled() ? WarmingLegacyRows.INSTANCE : ScalarLegacyRows.INSTANCE;
    }

    /** The block-at-a-time reference. */
    static LegacyRows scalar() {
        return ScalarLegacyRows.INSTANCE;
    }
}
