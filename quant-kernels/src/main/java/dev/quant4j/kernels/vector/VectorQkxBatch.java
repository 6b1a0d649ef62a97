package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code make_qkx2/3_quants} with one block per vector lane. Every lane performs exactly the float operations
 * of {@code dev.quant4j.kernels.QkxQuants} in the same order (lane-wise IEEE add, multiply, divide; no fused
 * multiply-add, no re-association), so the results are bit-identical; data-dependent branches become masks.
 * The upstream quirk that a winning candidate's fitted minimum feeds the later candidates is per-lane state.
 * Rows whose block count is not a multiple of the lane count are padded with all-zero (degenerate) blocks.
 */
public final class VectorQkxBatch {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private final int n;
    /** Gathers for the group's transposes, null when n is not a multiple of V. */
    private final BlockTranspose gather;
    // one group of V blocks, transposed: element i of lane j at i * V + j
    private final float[] xT;
    private final float[] wT;
    private final float[] lT;
    // per-lane state of the group between phases
    private final float[] scale = new float[V];
    private final float[] min = new float[V];
    private final float[] maxA = new float[V];
    private final float[] sumWA = new float[V];
    private final float[] sumXA = new float[V];
    private final float[] bestA = new float[V];
    private final float[] bestS = new float[V];
    private final float[] bestM = new float[V];
    private final boolean[] degenerateA = new boolean[V];

    /** Scratch for blocks of {@code n} values (any number of them per call). */
    public VectorQkxBatch(int n) {
        this.n = n;
        gather = BlockTranspose.fits(n) ? new BlockTranspose(n) : null;
        xT = new float[n * V];
        wT = new float[n * V];
        lT = new float[n * V];
    }

    /** As {@code QkxBatch.make}. */
    public void make(int lanes, int nmax, float[] x, int xOff, float[] w, int wOff, float rmin, float rdelta,
                     int nstep, boolean useMad, boolean v3, byte[] L, int lOff, float[] scales, float[] theMins,
                     int sOff) {
        for (int lane0 = 0; lane0 < lanes; lane0 += V) {
            int count = Math.min(V, lanes - lane0);
            if (count == V && gather != null) {
                gatherGroup(x, xOff + lane0 * n, w, w == null ? 0 : wOff + lane0 * n);
            } else {
                transpose(count, x, xOff + lane0 * n, w, w == null ? 0 : wOff + lane0 * n);
            }
            group(nmax, rmin, rdelta, nstep, useMad, v3);
            for (int j = 0; j < count; j++) {
                scales[sOff + lane0 + j] = scale[j];
                theMins[sOff + lane0 + j] = -min[j];
            }
            if (gather != null) {
                gather.levelsToBlocks(count, lT, 0, L, lOff + lane0 * n);
            } else {
                for (int j = 0; j < count; j++) {
                    int lb = lOff + (lane0 + j) * n;
                    for (int i = 0; i < n; i++) {
                        L[lb + i] = (byte) lT[i * V + j];
                    }
                }
            }
        }
    }

    /** As {@link #transpose} for a whole group, with gathers. */
    private void gatherGroup(float[] x, int xOff, float[] w, int wOff) {
        for (int i = 0; i < n; i++) {
            FloatVector xi = gather.lane(x, xOff, i);
            xi.intoArray(xT, i * V);
            (w != null ? gather.lane(w, wOff, i) : xi.mul(xi)).intoArray(wT, i * V);
        }
    }

    /** Loads {@code count} blocks into the transposed group; missing lanes are all-zero (degenerate) blocks. */
    private void transpose(int count, float[] x, int xOff, float[] w, int wOff) {
        for (int j = 0; j < count; j++) {
            int xb = xOff + j * n;
            int wb = wOff + j * n;
            for (int i = 0; i < n; i++) {
                float xi = x[xb + i];
                xT[i * V + j] = xi;
                wT[i * V + j] = w != null ? w[wb + i] : xi * xi;
            }
        }
        for (int j = count; j < V; j++) {
            for (int i = 0; i < n; i++) {
                xT[i * V + j] = 0f;
                wT[i * V + j] = 0f;
            }
        }
    }

    /**
     * The search for one group; leaves scales and fitted mins in {@code scale}/{@code min}, levels in lT. Split
     * into phases that keep their state in small arrays so each stays small enough for C2 to inline every
     * vector operation (a non-inlined one boxes its vectors and is many times slower).
     */
    private void group(int nmax, float rmin, float rdelta, int nstep, boolean useMad, boolean v3) {
        init(nmax, useMad, v3);
        for (int is = 0; nstep >= 1 && is <= nstep; is++) {
            step(nmax, rmin + rdelta * is + nmax, useMad);
        }
        finish(nmax);
    }

    /** Per-lane min (raised to 0), max, weight sums, degenerate flags and the initial levels' error. */
    private void init(int nmax, boolean useMad, boolean v3) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector x0 = FloatVector.fromArray(S, xT, 0);
        FloatVector w0 = FloatVector.fromArray(S, wT, 0);
        FloatVector mn = x0;
        FloatVector mx = x0;
        FloatVector sumW = w0;
        FloatVector sumX = w0.mul(x0);
        for (int i = 1; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, i * V);
            FloatVector wi = FloatVector.fromArray(S, wT, i * V);
            mn = mn.blend(xi, xi.lt(mn));
            mx = mx.blend(xi, xi.compare(VectorOperators.GT, mx));
            sumW = sumW.add(wi);
            sumX = sumX.add(wi.mul(xi));
        }
        mn = mn.blend(zero, mn.compare(VectorOperators.GT, zero));
        VectorMask<Float> degenerate = v3 ? mx.compare(VectorOperators.LE, mn) : mx.compare(VectorOperators.EQ, mn);
        FloatVector iscale = FloatVector.broadcast(S, (float) nmax).div(mx.sub(mn)).blend(zero, degenerate);
        FloatVector sc = FloatVector.broadcast(S, 1f).div(iscale).blend(zero, degenerate);
        IntVector lo = IntVector.zero(IntVector.SPECIES_PREFERRED);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax);
        FloatVector best = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, i * V);
            FloatVector wi = FloatVector.fromArray(S, wT, i * V);
            FloatVector l = Levels.clamped(iscale.mul(xi.sub(mn)), lo, hi);
            FloatVector diff = sc.mul(l).add(mn).sub(xi);
            best = best.add(wi.mul(useMad ? diff.abs() : diff.mul(diff)));
        }
        mn.intoArray(min, 0);
        mx.intoArray(maxA, 0);
        sumW.intoArray(sumWA, 0);
        sumX.intoArray(sumXA, 0);
        best.intoArray(bestA, 0);
        sc.intoArray(scale, 0);
        iscale.intoArray(bestS, 0);
        mn.intoArray(bestM, 0);
        degenerate.intoArray(degenerateA, 0);
    }

    /** One candidate scale {@code c / (max - min)} for every lane: fit, error, keep if better. */
    private void step(int nmax, float c, boolean useMad) {
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> degenerate = VectorMask.fromArray(S, degenerateA, 0);
        FloatVector mn = FloatVector.fromArray(S, min, 0);
        FloatVector s = FloatVector.broadcast(S, c).div(FloatVector.fromArray(S, maxA, 0).sub(mn))
                .blend(zero, degenerate);
        IntVector lo = IntVector.zero(IntVector.SPECIES_PREFERRED);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax);
        FloatVector sumL = zero;
        FloatVector sumL2 = zero;
        FloatVector sumXL = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, i * V);
            FloatVector wi = FloatVector.fromArray(S, wT, i * V);
            FloatVector l = Levels.clamped(s.mul(xi.sub(mn)), lo, hi);
            l.intoArray(lT, i * V);
            FloatVector wl = wi.mul(l);
            sumL = sumL.add(wl);
            sumL2 = sumL2.add(wl.mul(l));
            sumXL = sumXL.add(wl.mul(xi));
        }
        FloatVector sumW = FloatVector.fromArray(S, sumWA, 0);
        FloatVector sumX = FloatVector.fromArray(S, sumXA, 0);
        FloatVector d = sumW.mul(sumL2).sub(sumL.mul(sumL));
        VectorMask<Float> valid = d.compare(VectorOperators.GT, zero);
        FloatVector ts = sumW.mul(sumXL).sub(sumX.mul(sumL)).div(d);
        FloatVector tm = sumL2.mul(sumX).sub(sumL.mul(sumXL)).div(d);
        VectorMask<Float> positive = tm.compare(VectorOperators.GT, zero);
        ts = ts.blend(sumXL.div(sumL2), positive);
        tm = tm.blend(zero, positive);
        FloatVector err = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, i * V);
            FloatVector wi = FloatVector.fromArray(S, wT, i * V);
            FloatVector l = FloatVector.fromArray(S, lT, i * V);
            FloatVector diff = ts.mul(l).add(tm).sub(xi);
            err = err.add(wi.mul(useMad ? diff.abs() : diff.mul(diff)));
        }
        FloatVector best = FloatVector.fromArray(S, bestA, 0);
        VectorMask<Float> better = valid.and(err.lt(best));
        if (better.anyTrue()) {
            best.blend(err, better).intoArray(bestA, 0);
            FloatVector.fromArray(S, scale, 0).blend(ts, better).intoArray(scale, 0);
            FloatVector.fromArray(S, bestS, 0).blend(s, better).intoArray(bestS, 0);
            FloatVector.fromArray(S, bestM, 0).blend(mn, better).intoArray(bestM, 0);
            mn.blend(tm, better).intoArray(min, 0);
        }
    }

    /** Levels of each lane's winning candidate, recomputed with its scale and the min it was built from. */
    private void finish(int nmax) {
        IntVector lo = IntVector.zero(IntVector.SPECIES_PREFERRED);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax);
        FloatVector bs = FloatVector.fromArray(S, bestS, 0);
        FloatVector bm = FloatVector.fromArray(S, bestM, 0);
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, i * V);
            Levels.clamped(bs.mul(xi.sub(bm)), lo, hi).intoArray(lT, i * V);
        }
    }
}
