package dev.quant4j.kernels;

import java.util.Set;
import java.util.concurrent.Future;

/** {@link MatTile} as plain loops: the oracle the vector version is tested against. */
final class ScalarMatTile implements MatTile {
    static final ScalarMatTile INSTANCE = new ScalarMatTile();

    private ScalarMatTile() {
    }

    @Override
    public int scratchFloats(int rows, int cols) {
        return 0;
    }

    @Override
    public void multiply(float[] w, int rows, int cols, float[] x, int tokens, float[] out, int outOffset, int outStride,
                         float[] scratch) {
        for (int t = 0; t < tokens; t++) {
            int o = outOffset + t * outStride;
            for (int r = 0; r < rows; r++) {
                out[o + r] = dot(w, r * cols, x, t * cols, cols);
            }
        }
    }

    /** Plain loops are compiled soon enough by their first calls: nothing to warm up. */
    @Override
    public void warmUp(Future<? extends Set<Encoding>> encodings) {
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }
}
