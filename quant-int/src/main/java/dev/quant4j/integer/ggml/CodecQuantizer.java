package dev.quant4j.integer.ggml;

import dev.quant4j.api.spi.RowQuantizer;
import dev.quant4j.kernels.ErrorSums;
import dev.quant4j.kernels.FiniteScan;

/** A {@link RowQuantizer} whose rows are handled by a {@link RowCodec}. */
final class CodecQuantizer extends RowQuantizer {
    private final RowCodec codec;

    CodecQuantizer(RowCodec codec) {
        super(codec.type());
        this.codec = codec;
    }

    @Override
    protected void quantizeRow(float[] x, int n, float[] importance, byte[] out, int outOffset) {
        codec.encode(x, n, codec.usesImportance() ? importance : null, out, outOffset);
    }

    @Override
    protected void quantizeRowAt(float[] rows, int rowOffset, int n, float[] importance, byte[] out, int outOffset) {
        codec.encode(rows, rowOffset, n, codec.usesImportance() ? importance : null, out, outOffset);
    }

    @Override
    protected boolean quantizeRowRestoring(float[] rows, int rowOffset, int n, float[] importance, byte[] out,
                                           int outOffset, float[] restored) {
        return codec.encodeRestoring(rows, rowOffset, n, codec.usesImportance() ? importance : null, out, outOffset,
                restored);
    }

    @Override
    public boolean warm() {
        return codec.warm();
    }

    @Override
    protected int firstNonFinite(float[] x, int from, int count) {
        return FiniteScan.firstNonFinite(x, from, count);
    }

    @Override
    protected void addRoundTripError(float[] original, int from, float[] restored, int n, double[] sums) {
        ErrorSums.add(original, from, restored, 0, n, sums);
    }

    @Override
    protected void dequantizeRow(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        codec.decode(src, srcOffset, dst, dstOffset, n);
    }
}
