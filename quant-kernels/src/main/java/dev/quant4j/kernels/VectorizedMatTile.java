package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorMatTile;
import java.lang.foreign.MemorySegment;

/** {@link MatTile} backed by {@link VectorMatTile} (which must not depend back on this package). */
final class VectorizedMatTile implements MatTile {
    static final VectorizedMatTile INSTANCE = new VectorizedMatTile();

    private VectorizedMatTile() {
    }

    @Override
    public int scratchFloats(int rows, int cols) {
        return VectorMatTile.scratchFloats(rows, cols);
    }

    @Override
    public void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset, int outStride,
                         float[] scratch) {
        VectorMatTile.multiply(w, rows, cols, x, tokens, out, outOffset, outStride, scratch);
    }

    @Override
    public void multiplyEncoded(Encoding encoding, MemorySegment w, long offset, long rowBytes, int rows, int cols,
                                float[] x, int tokens, float[] out, int outOffset, int outStride, float[] scratch,
                                byte[] staging) {
        int code = switch (encoding) {
            case F16 -> VectorMatTile.F16;
            case Q8_0 -> VectorMatTile.Q8_0;
            case Q4_K -> VectorMatTile.Q4_K;
            case Q6_K -> VectorMatTile.Q6_K;
        };
        VectorMatTile.multiplyEncoded(code, w, offset, rowBytes, rows, cols, x, tokens, out, outOffset, outStride,
                scratch, staging);
    }

    @Override
    public boolean reads(Encoding encoding) {
        return true;
    }

    @Override
    public int batchTokens() {
        return VectorMatTile.BATCH_TOKENS;
    }

    @Override
    public int stagingBytes() {
        return VectorMatTile.stagingBytes();
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return VectorMatTile.dot(a, aOff, b, bOff, n);
    }
}
