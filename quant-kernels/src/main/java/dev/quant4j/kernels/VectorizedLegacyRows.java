package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorLegacyRows;

/** {@link LegacyRows} backed by {@link VectorLegacyRows} (which must not depend back on this package). */
final class VectorizedLegacyRows implements LegacyRows {
    static final VectorizedLegacyRows INSTANCE = new VectorizedLegacyRows();

    private VectorizedLegacyRows() {
    }

    @Override
    public void q8_0(float[] x, int xOff, int n, byte[] out, int off) {
        VectorLegacyRows.q8_0(x, xOff, n, out, off);
    }

    @Override
    public void symmetric(int bits, float[] x, int xOff, int n, byte[] out, int off, float[] restored, int rOff) {
        VectorLegacyRows.symmetric(bits, x, xOff, n, out, off, restored, rOff);
    }

    @Override
    public void affine(int bits, float[] x, int xOff, int n, byte[] out, int off) {
        VectorLegacyRows.affine(bits, x, xOff, n, out, off);
    }
}
