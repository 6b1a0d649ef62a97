package dev.quant4j.eval.metrics;

/**
 * One chunk of a base file: for each scored position, the {@link CompressedLogProbs} scale, minimum and codes.
 * Immutable after construction (the arrays are owned).
 */
public final class BaseChunk {
    private final int nVocab;
    private final float[] scales;
    private final float[] mins;
    private final short[] codes;

    BaseChunk(int nVocab, float[] scales, float[] mins, short[] codes) {
        this.nVocab = nVocab;
        this.scales = scales;
        this.mins = mins;
        this.codes = codes;
    }

    public int rows() {
        return scales.length;
    }

    float scale(int row) {
        return scales[row];
    }

    float minLogProb(int row) {
        return mins[row];
    }

    short code(int row, int token) {
        return codes[row * nVocab + token];
    }

    /** The decoded base log-probability of {@code token} at scored row {@code row}. */
    public float logProb(int row, int token) {
        return CompressedLogProbs.decode(scales[row], mins[row], codes[row * nVocab + token]);
    }
}
