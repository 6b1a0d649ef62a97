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

    /** One legacy encoder of either form. */
    @FunctionalInterface
    private interface Encoder {
        void encode(LegacyRows rows, float[] x, int xOff, int n, byte[] out, int off);
    }

    @Override
    public void q8_0(float[] x, int xOff, int n, byte[] out, int off) {
        encode(q8, LegacyRows::q8_0, 34, x, xOff, n, out, off);
    }

    @Override
    public void symmetric(int bits, float[] x, int xOff, int n, byte[] out, int off, float[] restored, int rOff) {
        encode(symmetric, (rows, a, aOff, m, b, bOff) -> rows.symmetric(bits, a, aOff, m, b, bOff, restored,
                        restored == null ? 0 : rOff + aOff - xOff), bits == 4 ? 18 : 22, x, xOff, n, out, off);
    }

    @Override
    public void affine(int bits, float[] x, int xOff, int n, byte[] out, int off) {
        encode(affine, (rows, a, aOff, m, b, bOff) -> rows.affine(bits, a, aOff, m, b, bOff), bits == 4 ? 20 : 24,
                x, xOff, n, out, off);
    }

    /** The vector form once {@code gate} is open; before, a probe head and a scalar rest (whole blocks each). */
    private static void encode(WarmGate gate, Encoder encoder, int blockBytes, float[] x, int xOff, int n, byte[] out,
                               int off) {
        if (gate.isOpen()) {
            encoder.encode(VectorizedLegacyRows.INSTANCE, x, xOff, n, out, off);
            return;
        }
        gate.run(n, PROBE, (vector, from, count) -> encoder.encode(
                vector ? VectorizedLegacyRows.INSTANCE : ScalarLegacyRows.INSTANCE, x, xOff + from, count, out,
                off + from / QK * blockBytes));
    }
}
