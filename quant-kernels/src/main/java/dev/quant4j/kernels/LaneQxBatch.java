package dev.quant4j.kernels;

/**
 * {@link QxQuants} over many blocks with one block per array lane, in plain Java loops that C2's auto-vectorizer
 * (SuperWord) turns into SIMD code; bit-identical to the block-at-a-time reference (every lane performs the
 * reference's float operations in its order). About three times faster than the reference once C2 has compiled
 * it (17 against 55 ns per value for 16-value blocks on AVX-512; the Vector API form takes 4.6), and unlike the
 * Vector API form never slow before: interpreted and C1-compiled plain loops run near scalar speed, with no
 * fallback code that allocates per lane operation. The Q6_K search runs it without the vector module
 * ({@link QxBatch#perThread}).
 *
 * <p>Layout: a group of up to {@link #LANES} blocks is transposed so element {@code i} of every block is one
 * array ({@code x[i][lane]}), and the inner loop runs over lanes indexing separate arrays with the same index;
 * C2 in JDK 25 does not vectorize a loop that reads one float array at an invariant offset and writes another
 * (it cannot rule out that they overlap).
 *
 * <p>The level {@code clamp(nearest_int(s * x), -nmax, nmax - 1)} is computed in float as
 * {@code (v + 1.5 * 2^23) - 1.5 * 2^23}, then clamped: the same value as ggml's integer trick wherever
 * {@code |v| < 2^22}, and here {@code |v| <= nmax + 1} (the scale is at most {@code (nmax + 0.9) / |max|} and no
 * element exceeds {@code |max|}; all-zero blocks, whose results are discarded, give NaN). The final levels use
 * the integer form itself.
 *
 * <p>Scratch for one thread; keep one per thread.
 */
final class LaneQxBatch implements QxBatch {
    /** Blocks per group: a Q6_K row of 2048 values is 128 sub-blocks. */
    static final int LANES = 128;
    private static final float MAGIC = 12582912f;

    private final int n;
    // element i of the group's blocks: x[i][lane], the weight w and w * x (the first factor of w * x * l)
    private final float[][] x;
    private final float[][] w;
    private final float[][] wx;
    private final float[] max = new float[LANES];
    private final boolean[] zero = new boolean[LANES];
    private final float[] s = new float[LANES];
    private final float[] sumlx = new float[LANES];
    private final float[] suml2 = new float[LANES];
    private final float[] scale = new float[LANES];
    private final float[] best = new float[LANES];
    private final float[] bestS = new float[LANES];

    /** Scratch for blocks of {@code n} values (any number of them per call). */
    LaneQxBatch(int n) {
        this.n = n;
        x = new float[n][LANES];
        w = new float[n][LANES];
        wx = new float[n][LANES];
    }

    @Override
    public void make(int lanes, int nmax, float[] xs, int xOff, float[] qw, int qwOff, byte[] L, int lOff,
                     float[] scales, int sOff) {
        for (int lane0 = 0; lane0 < lanes; lane0 += LANES) {
            int count = Math.min(LANES, lanes - lane0);
            transpose(count, xs, xOff + lane0 * n, qw, qwOff + lane0 * n);
            search(count, nmax);
            for (int j = 0; j < count; j++) {
                scales[sOff + lane0 + j] = scale[j];
                if (L == null) {
                    continue;
                }
                int lb = lOff + (lane0 + j) * n;
                if (zero[j]) {
                    java.util.Arrays.fill(L, lb, lb + n, (byte) 0);
                    continue;
                }
                float b = bestS[j];
                for (int i = 0; i < n; i++) {
                    L[lb + i] = (byte) (QxQuants.level(b, x[i][j], nmax) + nmax);
                }
            }
        }
    }

    private void transpose(int count, float[] xs, int xOff, float[] qw, int qwOff) {
        for (int j = 0; j < count; j++) {
            int xb = xOff + j * n;
            int wb = qwOff + j * n;
            for (int i = 0; i < n; i++) {
                float xi = xs[xb + i];
                float wi = qw != null ? qw[wb + i] : xi * xi;
                x[i][j] = xi;
                w[i][j] = wi;
                wx[i][j] = wi * xi;
            }
        }
    }

    /** The 19 candidate scales of every lane; results in scale, bestS and zero. */
    private void search(int count, int nmax) {
        for (int j = 0; j < count; j++) {
            float amax = 0;
            float m = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[i][j];
                float ax = Math.abs(xi);
                if (ax > amax) {
                    amax = ax;
                    m = xi;
                }
            }
            zero[j] = amax < QxQuants.EPS;
            max[j] = m;
        }
        float lo = -nmax;
        float hi = nmax - 1;
        // is = 0 first (the reference's iscale, -nmax / max), then -9 .. -1, 1 .. 9
        for (int c = 0; c < 19; c++) {
            int is = c == 0 ? 0 : c <= 9 ? c - 10 : c - 9;
            float num = -((float) nmax + 0.1f * is);
            for (int j = 0; j < count; j++) {
                s[j] = num / max[j];
                sumlx[j] = 0;
                suml2[j] = 0;
            }
            for (int i = 0; i < n; i++) {
                accumulate(count, x[i], w[i], wx[i], lo, hi);
            }
            if (c == 0) {
                for (int j = 0; j < count; j++) {
                    float sc = suml2[j] != 0 ? sumlx[j] / suml2[j] : 0f;
                    scale[j] = sc;
                    best[j] = sc * sumlx[j];
                    bestS[j] = s[j];
                }
            } else {
                for (int j = 0; j < count; j++) {
                    float a = sumlx[j];
                    float b = suml2[j];
                    if (b > 0 && a * a > best[j] * b) {
                        float sc = a / b;
                        scale[j] = sc;
                        best[j] = sc * a;
                        bestS[j] = s[j];
                    }
                }
            }
        }
        for (int j = 0; j < count; j++) {
            if (zero[j]) {
                scale[j] = 0f;
            }
        }
    }

    /** One element of every lane's block: level, then the two weighted sums (the loop C2 vectorizes). */
    private void accumulate(int count, float[] xi, float[] wi, float[] wxi, float lo, float hi) {
        float[] sx = sumlx;
        float[] s2 = suml2;
        float[] sj = s;
        for (int j = 0; j < count; j++) {
            float l = Math.max(lo, Math.min(hi, (sj[j] * xi[j] + MAGIC) - MAGIC));
            sx[j] += wxi[j] * l;
            s2[j] += wi[j] * l * l;
        }
    }
}
