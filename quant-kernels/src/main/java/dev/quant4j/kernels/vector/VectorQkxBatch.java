package dev.quant4j.kernels.vector;

import dev.quant4j.kernels.QkxBatch;
import dev.quant4j.kernels.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code make_qkx2/3_quants} with one block per vector lane. Every lane performs exactly the float operations
 * of {@link dev.quant4j.kernels.QkxQuants} in the same order (lane-wise IEEE add, multiply, divide; no fused
 * multiply-add, no re-association), so the results are bit-identical; data-dependent branches become masks.
 * The upstream quirk that a winning candidate's fitted minimum feeds the later candidates is per-lane state.
 * Rows whose block count is not a multiple of the lane count are padded with all-zero (degenerate) blocks.
 */
public final class VectorQkxBatch implements QkxBatch {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** 1.5 * 2^23: {@code (v + MAGIC) - MAGIC} is v rounded to an integer, ties to even, for |v| <= 2^22. */
    private static final float MAGIC = 12582912f;

    private final int n;
    private final int maxLanes;
    // transposed input, group g of V lanes: element i of lane j at (g * n + i) * V + j
    private final float[] xT;
    private final float[] wT;
    private final float[] lT;
    // per-lane results
    private final float[] scale;
    private final float[] min;
    private final float[] bestS;
    private final float[] bestM;

    public VectorQkxBatch(int n, int maxLanes) {
        this.n = n;
        this.maxLanes = maxLanes;
        int padded = (maxLanes + V - 1) / V * V;
        xT = new float[padded * n];
        wT = new float[padded * n];
        lT = new float[n * V];
        scale = new float[padded];
        min = new float[padded];
        bestS = new float[padded];
        bestM = new float[padded];
    }

    @Override
    public void make(int lanes, int nmax, float[] x, int xOff, float[] w, int wOff, float rmin, float rdelta,
                     int nstep, boolean useMad, boolean v3, byte[] L, int lOff, float[] scales, float[] theMins,
                     int sOff) {
        if (lanes > maxLanes) {
            throw new IllegalArgumentException(lanes + " blocks, scratch holds " + maxLanes);
        }
        int groups = (lanes + V - 1) / V;
        transpose(lanes, groups, x, xOff, w, wOff);
        for (int g = 0; g < groups; g++) {
            group(g, nmax, rmin, rdelta, nstep, useMad, v3);
        }
        for (int j = 0; j < lanes; j++) {
            scales[sOff + j] = scale[j];
            theMins[sOff + j] = -min[j];
            float bs = bestS[j];
            float bm = bestM[j];
            int xb = xOff + j * n;
            int lb = lOff + j * n;
            for (int i = 0; i < n; i++) {
                L[lb + i] = (byte) Math.max(0, Math.min(nmax, Rounding.nearestInt(bs * (x[xb + i] - bm))));
            }
        }
    }

    private void transpose(int lanes, int groups, float[] x, int xOff, float[] w, int wOff) {
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < V; j++) {
                int lane = g * V + j;
                for (int i = 0; i < n; i++) {
                    int t = (g * n + i) * V + j;
                    if (lane < lanes) {
                        float xi = x[xOff + lane * n + i];
                        xT[t] = xi;
                        wT[t] = w != null ? w[wOff + lane * n + i] : xi * xi;
                    } else {
                        xT[t] = 0f;
                        wT[t] = 0f;
                    }
                }
            }
        }
    }

    private void group(int g, int nmax, float rmin, float rdelta, int nstep, boolean useMad, boolean v3) {
        int base = g * n * V;
        FloatVector zero = FloatVector.zero(S);
        FloatVector fnmax = FloatVector.broadcast(S, (float) nmax);
        FloatVector x0 = FloatVector.fromArray(S, xT, base);
        FloatVector w0 = FloatVector.fromArray(S, wT, base);
        FloatVector mn = x0;
        FloatVector mx = x0;
        FloatVector sumW = w0;
        FloatVector sumX = w0.mul(x0);
        for (int i = 1; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, base + i * V);
            FloatVector wi = FloatVector.fromArray(S, wT, base + i * V);
            mn = mn.blend(xi, xi.lt(mn));
            mx = mx.blend(xi, xi.compare(VectorOperators.GT, mx));
            sumW = sumW.add(wi);
            sumX = sumX.add(wi.mul(xi));
        }
        mn = mn.blend(zero, mn.compare(VectorOperators.GT, zero));
        VectorMask<Float> degenerate = v3 ? mx.compare(VectorOperators.LE, mn) : mx.compare(VectorOperators.EQ, mn);
        FloatVector iscale = fnmax.div(mx.sub(mn)).blend(zero, degenerate);
        FloatVector sc = FloatVector.broadcast(S, 1f).div(iscale).blend(zero, degenerate);
        FloatVector best = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, base + i * V);
            FloatVector wi = FloatVector.fromArray(S, wT, base + i * V);
            FloatVector l = level(iscale.mul(xi.sub(mn)), zero, fnmax);
            FloatVector diff = sc.mul(l).add(mn).sub(xi);
            best = best.add(wi.mul(useMad ? diff.abs() : diff.mul(diff)));
        }
        FloatVector bs = iscale;
        FloatVector bm = mn;
        for (int is = 0; nstep >= 1 && is <= nstep; is++) {
            FloatVector s = FloatVector.broadcast(S, rmin + rdelta * is + nmax).div(mx.sub(mn)).blend(zero, degenerate);
            FloatVector sumL = zero;
            FloatVector sumL2 = zero;
            FloatVector sumXL = zero;
            for (int i = 0; i < n; i++) {
                FloatVector xi = FloatVector.fromArray(S, xT, base + i * V);
                FloatVector wi = FloatVector.fromArray(S, wT, base + i * V);
                FloatVector l = level(s.mul(xi.sub(mn)), zero, fnmax);
                l.intoArray(lT, i * V);
                FloatVector wl = wi.mul(l);
                sumL = sumL.add(wl);
                sumL2 = sumL2.add(wl.mul(l));
                sumXL = sumXL.add(wl.mul(xi));
            }
            FloatVector d = sumW.mul(sumL2).sub(sumL.mul(sumL));
            VectorMask<Float> valid = d.compare(VectorOperators.GT, zero);
            FloatVector ts = sumW.mul(sumXL).sub(sumX.mul(sumL)).div(d);
            FloatVector tm = sumL2.mul(sumX).sub(sumL.mul(sumXL)).div(d);
            VectorMask<Float> positive = tm.compare(VectorOperators.GT, zero);
            ts = ts.blend(sumXL.div(sumL2), positive);
            tm = tm.blend(zero, positive);
            FloatVector err = zero;
            for (int i = 0; i < n; i++) {
                FloatVector xi = FloatVector.fromArray(S, xT, base + i * V);
                FloatVector wi = FloatVector.fromArray(S, wT, base + i * V);
                FloatVector l = FloatVector.fromArray(S, lT, i * V);
                FloatVector diff = ts.mul(l).add(tm).sub(xi);
                err = err.add(wi.mul(useMad ? diff.abs() : diff.mul(diff)));
            }
            VectorMask<Float> better = valid.and(err.lt(best));
            best = best.blend(err, better);
            sc = sc.blend(ts, better);
            bs = bs.blend(s, better);
            bm = bm.blend(mn, better);
            mn = mn.blend(tm, better);
        }
        int lane0 = g * V;
        sc.intoArray(scale, lane0);
        mn.intoArray(min, lane0);
        bs.intoArray(bestS, lane0);
        bm.intoArray(bestM, lane0);
    }

    /** {@code clamp(nearest_int(v), 0, nmax)} as float lanes. */
    private static FloatVector level(FloatVector v, FloatVector zero, FloatVector fnmax) {
        FloatVector r = v.add(MAGIC).sub(MAGIC);
        r = r.blend(zero, r.lt(zero));
        return r.blend(fnmax, r.compare(VectorOperators.GT, fnmax));
    }
}
