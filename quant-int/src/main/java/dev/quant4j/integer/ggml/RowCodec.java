package dev.quant4j.integer.ggml;

import dev.quant4j.api.tensor.DType;
import java.util.Arrays;

/**
 * Encodes and decodes whole rows of one ggml type (spec/quant-types.md). Implementations are stateless and
 * therefore thread safe; scratch space is allocated per row, never per block.
 */
interface RowCodec {
    DType type();

    /** True when {@link #encode} reads the importance row (the type has an imatrix path). */
    boolean usesImportance();

    /**
     * Encodes {@code x[0 .. n)} (finite, {@code n} a multiple of the block size) into {@code out[off ..]}.
     *
     * @param importance per-column importance ({@code n} values) or null for the reference path
     */
    void encode(float[] x, int n, float[] importance, byte[] out, int off);

    /**
     * Encodes the row at {@code x[xOff .. xOff+n)} of a larger batch. The default copies it out; codecs that
     * read in place override this.
     */
    default void encode(float[] x, int xOff, int n, float[] importance, byte[] out, int off) {
        encode(xOff == 0 && x.length == n ? x : Arrays.copyOfRange(x, xOff, xOff + n), n, importance, out, off);
    }

    /**
     * As {@link #encode(float[], int, int, float[], byte[], int)}, also writing the decoded row ({@link #decode}'s
     * values) into {@code restored[0 .. n)} while it is in registers; false, having done nothing, when the codec has
     * no such form for these arguments. Default: false.
     */
    default boolean encodeRestoring(float[] x, int xOff, int n, float[] importance, byte[] out, int off,
                                    float[] restored) {
        return false;
    }

    /** False while the codec's search runs its slow start-up form (see {@code Quantizer.warm()}). */
    default boolean warm() {
        return true;
    }

    /** Decodes {@code n} values from {@code in[off ..]} into {@code y[yOff .. yOff+n)}. */
    void decode(byte[] in, int off, float[] y, int yOff, int n);
}
