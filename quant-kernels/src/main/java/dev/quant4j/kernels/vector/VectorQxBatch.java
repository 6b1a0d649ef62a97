package dev.quant4j.kernels.vector;

import dev.quant4j.kernels.QxBatch;
import dev.quant4j.kernels.QxQuants;
import dev.quant4j.kernels.Rounding;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code make_qx_quants} (rmse_type 1) with one block per vector lane; every lane performs exactly the float
 * operations of {@link QxQuants} in the same order, so results are bit-identical. Blocks are padded to a
 * multiple of the lane count with zero blocks.
 */
public final class VectorQxBatch implements QxBatch {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final float MAGIC = 12582912f;

    private final int n;
    private final int maxLanes;
    // transposed, group g: element i of lane j at (g * n + i) * V + j; wx = w * x (the first factor of w*x*l)
    private final float[] xT;
    private final float[] wT;
    private final float[] wxT;
    private final float[] scale;
    private final float[] bestS;
    private final boolean[] zeroBlock;

    public VectorQxBatch(int n, int maxLanes) {
        this.n = n;
        this.maxLanes = maxLanes;
        int padded = (maxLanes + V - 1) / V * V;
        xT = new float[padded * n];
        wT = new float[padded * n];
        wxT = new float[padded * n];
        scale = new float[padded];
        bestS = new float[padded];
        zeroBlock = new boolean[padded];
    }

    @Override
    public void make(int lanes, int nmax, float[] x, int xOff, float[] qw, int qwOff, byte[] L, int lOff,
                     float[] scales, int sOff) {
        if (lanes > maxLanes) {
            throw new IllegalArgumentException(lanes + " blocks, scratch holds " + maxLanes);
        }
        int groups = (lanes + V - 1) / V;
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < V; j++) {
                int lane = g * V + j;
                for (int i = 0; i < n; i++) {
                    int t = (g * n + i) * V + j;
                    float xi = lane < lanes ? x[xOff + lane * n + i] : 0f;
                    float wi = lane >= lanes ? 0f : qw != null ? qw[qwOff + lane * n + i] : xi * xi;
                    xT[t] = xi;
                    wT[t] = wi;
                    wxT[t] = wi * xi;
                }
            }
        }
        for (int g = 0; g < groups; g++) {
            group(g, nmax);
        }
        for (int j = 0; j < lanes; j++) {
            int lb = lOff + j * n;
            if (zeroBlock[j]) {
                scales[sOff + j] = 0f;
                java.util.Arrays.fill(L, lb, lb + n, (byte) 0);
                continue;
            }
            scales[sOff + j] = scale[j];
            float bs = bestS[j];
            int xb = xOff + j * n;
            for (int i = 0; i < n; i++) {
                int l = Math.max(-nmax, Math.min(nmax - 1, Rounding.nearestInt(bs * x[xb + i])));
                L[lb + i] = (byte) (l + nmax);
            }
        }
    }

    private void group(int g, int nmax) {
        int base = g * n * V;
        FloatVector zero = FloatVector.zero(S);
        FloatVector lo = FloatVector.broadcast(S, (float) -nmax);
        FloatVector hi = FloatVector.broadcast(S, (float) (nmax - 1));
        FloatVector amax = zero;
        FloatVector max = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, base + i * V);
            FloatVector ax = xi.abs();
            VectorMask<Float> bigger = ax.compare(VectorOperators.GT, amax);
            amax = amax.blend(ax, bigger);
            max = max.blend(xi, bigger);
        }
        VectorMask<Float> zeroLanes = amax.lt(QxQuants.EPS);
        // zero blocks get a harmless divisor; their results are discarded
        max = max.blend(FloatVector.broadcast(S, 1f), zeroLanes);
        FloatVector iscale = FloatVector.broadcast(S, (float) -nmax).div(max);
        FloatVector sumlx = zero;
        FloatVector suml2 = zero;
        for (int i = 0; i < n; i++) {
            int t = base + i * V;
            FloatVector l = level(iscale.mul(FloatVector.fromArray(S, xT, t)), lo, hi);
            sumlx = sumlx.add(FloatVector.fromArray(S, wxT, t).mul(l));
            suml2 = suml2.add(FloatVector.fromArray(S, wT, t).mul(l).mul(l));
        }
        FloatVector sc = sumlx.div(suml2).blend(zero, suml2.compare(VectorOperators.EQ, zero));
        FloatVector best = sc.mul(sumlx);
        FloatVector bs = iscale;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            FloatVector s = FloatVector.broadcast(S, -((float) nmax + 0.1f * is)).div(max);
            sumlx = zero;
            suml2 = zero;
            for (int i = 0; i < n; i++) {
                int t = base + i * V;
                FloatVector l = level(s.mul(FloatVector.fromArray(S, xT, t)), lo, hi);
                sumlx = sumlx.add(FloatVector.fromArray(S, wxT, t).mul(l));
                suml2 = suml2.add(FloatVector.fromArray(S, wT, t).mul(l).mul(l));
            }
            VectorMask<Float> better = suml2.compare(VectorOperators.GT, zero)
                    .and(sumlx.mul(sumlx).compare(VectorOperators.GT, best.mul(suml2)));
            FloatVector ns = sumlx.div(suml2);
            sc = sc.blend(ns, better);
            best = best.blend(ns.mul(sumlx), better);
            bs = bs.blend(s, better);
        }
        int lane0 = g * V;
        sc.intoArray(scale, lane0);
        bs.intoArray(bestS, lane0);
        for (int j = 0; j < V; j++) {
            zeroBlock[lane0 + j] = zeroLanes.laneIsSet(j);
        }
    }

    /** {@code clamp(nearest_int(v), -nmax, nmax - 1)} as float lanes. */
    private static FloatVector level(FloatVector v, FloatVector lo, FloatVector hi) {
        FloatVector r = v.add(MAGIC).sub(MAGIC);
        r = r.blend(lo, r.lt(lo));
        return r.blend(hi, r.compare(VectorOperators.GT, hi));
    }
}
