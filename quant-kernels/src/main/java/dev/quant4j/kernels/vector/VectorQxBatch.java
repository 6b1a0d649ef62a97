package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code make_qx_quants} (rmse_type 1) with one block per vector lane; every lane performs exactly the float
 * operations of {@code dev.quant4j.kernels.QxQuants} in the same order, so results are bit-identical. Blocks are padded to a
 * multiple of the lane count with zero blocks.
 */
public final class VectorQxBatch {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /** GROUP_MAX_EPS, as {@code QxQuants.EPS}. */
    private static final float EPS = 1e-15f;

    private final int n;
    // one group of V blocks, transposed: element i of lane j at i * V + j; wx = w * x (the first factor of w*x*l)
    private final float[] xT;
    private final float[] wT;
    private final float[] wxT;
    private final float[] lT;
    private final float[] scale = new float[V];

    /** Scratch for blocks of {@code n} values (any number of them per call). */
    public VectorQxBatch(int n) {
        this.n = n;
        xT = new float[n * V];
        wT = new float[n * V];
        wxT = new float[n * V];
        lT = new float[n * V];
    }

    /** As {@code QxBatch.make}. */
    public void make(int lanes, int nmax, float[] x, int xOff, float[] qw, int qwOff, byte[] L, int lOff,
                     float[] scales, int sOff) {
        for (int lane0 = 0; lane0 < lanes; lane0 += V) {
            int count = Math.min(V, lanes - lane0);
            transpose(count, x, xOff + lane0 * n, qw, qwOff + lane0 * n);
            group(nmax);
            for (int j = 0; j < count; j++) {
                scales[sOff + lane0 + j] = scale[j];
                int lb = lOff + (lane0 + j) * n;
                for (int i = 0; i < n; i++) {
                    L[lb + i] = (byte) lT[i * V + j];
                }
            }
        }
    }

    /** Loads {@code count} blocks into the transposed group; missing lanes are zero blocks. */
    private void transpose(int count, float[] x, int xOff, float[] qw, int qwOff) {
        for (int j = 0; j < count; j++) {
            int xb = xOff + j * n;
            int wb = qwOff + j * n;
            for (int i = 0; i < n; i++) {
                float xi = x[xb + i];
                float wi = qw != null ? qw[wb + i] : xi * xi;
                xT[i * V + j] = xi;
                wT[i * V + j] = wi;
                wxT[i * V + j] = wi * xi;
            }
        }
        for (int j = count; j < V; j++) {
            for (int i = 0; i < n; i++) {
                xT[i * V + j] = 0f;
                wT[i * V + j] = 0f;
                wxT[i * V + j] = 0f;
            }
        }
    }

    /** The search for one group: scales into {@code scale}, biased levels into lT (zero blocks: 0 and 0). */
    private void group(int nmax) {
        int base = 0;
        FloatVector zero = FloatVector.zero(S);
        IntVector lo = IntVector.broadcast(IntVector.SPECIES_PREFERRED, -nmax);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax - 1);
        FloatVector amax = zero;
        FloatVector max = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, base + i * V);
            FloatVector ax = xi.abs();
            VectorMask<Float> bigger = ax.compare(VectorOperators.GT, amax);
            amax = amax.blend(ax, bigger);
            max = max.blend(xi, bigger);
        }
        VectorMask<Float> zeroLanes = amax.lt(EPS);
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
        sc.blend(zero, zeroLanes).intoArray(scale, 0);
        // final levels of the winning candidate, biased by nmax; all-zero blocks get level 0
        FloatVector bias = FloatVector.broadcast(S, (float) nmax);
        for (int i = 0; i < n; i++) {
            FloatVector l = level(bs.mul(FloatVector.fromArray(S, xT, i * V)), lo, hi).add(bias);
            l.blend(zero, zeroLanes).intoArray(lT, i * V);
        }
    }

    /** {@code clamp(nearest_int(v), -nmax, nmax - 1)} as float lanes. */
    private static FloatVector level(FloatVector v, IntVector lo, IntVector hi) {
        return Levels.clamped(v, lo, hi);
    }
}
