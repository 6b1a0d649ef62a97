package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorMatTile;

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
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return VectorMatTile.dot(a, aOff, b, bOff, n);
    }
}
