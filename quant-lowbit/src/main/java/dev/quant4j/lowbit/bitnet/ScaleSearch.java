package dev.quant4j.lowbit.bitnet;

/**
 * PT-BitNet's calibrated scale: for one 256-block, the scale {@code s} minimising the activation-weighted error
 * {@code Σ_j imp_j · (w_j − s · q_j)²} with {@code q_j = rint(clamp(w_j / s, −1, 1))}, where {@code imp_j} is the
 * mean square of input channel j on calibration text (the imatrix; 1 for every channel without one). Candidates are
 * the absmean gamma times 0.5, 0.55, ..., 3.0, each refined once by least squares for its own levels
 * ({@code s = Σ imp·w·q / Σ imp·q²}); the best of all (absmean itself included) wins, so the weighted error is
 * never above plain absmean's.
 */
final class ScaleSearch {
    private static final int STEPS = 51;
    private static final float FIRST = 0.5f;
    private static final float STEP = 0.05f;

    private ScaleSearch() {
    }

    /** The scale for {@code w[off .. off + 256)}; {@code imp} indexed the same way, null for equal weights. */
    static float scale(float[] w, int off, float[] imp, int impOff) {
        float gamma = Absmean.gamma(w, off);
        float best = gamma;
        double bestErr = error(w, off, imp, impOff, gamma);
        for (int i = 0; i < STEPS; i++) {
            float s = gamma * (FIRST + STEP * i);
            double e = error(w, off, imp, impOff, s);
            if (e < bestErr) {
                bestErr = e;
                best = s;
            }
            float refined = leastSquares(w, off, imp, impOff, s);
            if (refined > 0) {
                double r = error(w, off, imp, impOff, refined);
                if (r < bestErr) {
                    bestErr = r;
                    best = refined;
                }
            }
        }
        return best;
    }

    /** The weighted squared error of ternarising with scale {@code s} (levels from s, reconstruction at s). */
    static double error(float[] w, int off, float[] imp, int impOff, float s) {
        double e = 0;
        for (int j = 0; j < Absmean.BLOCK; j++) {
            double d = w[off + j] - (double) s * Absmean.level(w[off + j], s);
            e += (imp == null ? 1 : imp[impOff + j]) * d * d;
        }
        return e;
    }

    /** The best scale for the levels that {@code s} gives; 0 when every level is 0. */
    private static float leastSquares(float[] w, int off, float[] imp, int impOff, float s) {
        double num = 0;
        double den = 0;
        for (int j = 0; j < Absmean.BLOCK; j++) {
            int q = Absmean.level(w[off + j], s);
            double a = imp == null ? 1 : imp[impOff + j];
            num += a * w[off + j] * q;
            den += a * q * q;
        }
        return den > 0 && num > 0 ? (float) (num / den) : 0;
    }
}
