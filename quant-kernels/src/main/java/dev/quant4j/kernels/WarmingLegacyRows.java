package dev.quant4j.kernels;

/**
 * {@link LegacyRows} that takes {@link ScalarLegacyRows} until the JIT has compiled {@link VectorizedLegacyRows}
 * (a {@link WarmGate} per encoder); the bytes are the same either way. Once a gate is open its encoder calls the
 * vector form directly (no timing, no lambda).
 */
final class WarmingLegacyRows implements LegacyRows {
    static final WarmingLegacyRows INSTANCE = new WarmingLegacyRows();
    private static final int QK = 32;
    /**
     * Values per probe: two blocks. The JIT compiles after a number of calls (and loop iterations); the
     * smaller the probe, the less of the run goes through the slow uncompiled vector code before.
     */
    private static final int PROBE = 2 * QK;

    private final WarmGate q8 = new WarmGate();
    private final WarmGate symmetric = new WarmGate();
    private final WarmGate affine = new WarmGate();

    private WarmingLegacyRows() {
    }

    private static LegacyRows form(boolean vector) {
        return vector ? VectorizedLegacyRows.INSTANCE : ScalarLegacyRows.INSTANCE;
    }

    @Override
    public void q8_0(float[] x, int xOff, int n, byte[] out, int off) {
        if (q8.isOpen()) {
            VectorizedLegacyRows.INSTANCE.q8_0(x, xOff, n, out, off);
            return;
        }
        q8.run(n, PROBE, (vector, from, count) -> form(vector).q8_0(x, xOff + from, count, out, off + from / QK * 34));
    }

    @Override
    public void symmetric(int bits, float[] x, int xOff, int n, byte[] out, int off) {
        if (symmetric.isOpen()) {
            VectorizedLegacyRows.INSTANCE.symmetric(bits, x, xOff, n, out, off);
            return;
        }
        int bb = bits == 4 ? 18 : 22;
        symmetric.run(n, PROBE,
                (vector, from, count) -> form(vector).symmetric(bits, x, xOff + from, count, out, off + from / QK * bb));
    }

    @Override
    public void affine(int bits, float[] x, int xOff, int n, byte[] out, int off) {
        if (affine.isOpen()) {
            VectorizedLegacyRows.INSTANCE.affine(bits, x, xOff, n, out, off);
            return;
        }
        int bb = bits == 4 ? 20 : 24;
        affine.run(n, PROBE,
                (vector, from, count) -> form(vector).affine(bits, x, xOff + from, count, out, off + from / QK * bb));
    }
}
