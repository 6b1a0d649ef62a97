package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code make_q3_quants} (do_rmse) with one block per vector lane. Every lane performs exactly the float operations
 * of {@code dev.quant4j.kernels.Q3Quants} in the same order, so results are bit-identical; the per-element level
 * moves, sequential within a block, run element by element for all lanes at once with the accept test as a mask.
 * A lane whose pass changed nothing would change nothing in a further pass either (its state is the same), so
 * the passes stop when no lane changed, which is each lane's own early exit. Missing lanes are zero blocks.
 */
public final class VectorQ3Batch {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** GROUP_MAX_EPS, as {@code QxQuants.EPS}. */
    private static final float EPS = 1e-15f;
    private static final int PASSES = 5;

    private final int n;
    // one group of V blocks, transposed: element i of lane j at i * V + j; w = x^2, wx = w * x
    private final float[] xT;
    private final float[] wT;
    private final float[] wxT;
    private final float[] lT;
    // per-lane sums between the phases
    private final float[] sumlxA = new float[V];
    private final float[] suml2A = new float[V];
    private final boolean[] zeroA = new boolean[V];
    private final float[] scale = new float[V];

    /** Scratch for blocks of {@code n} values (any number of them per call). */
    public VectorQ3Batch(int n) {
        this.n = n;
        xT = new float[n * V];
        wT = new float[n * V];
        wxT = new float[n * V];
        lT = new float[n * V];
    }

    /** As {@code Q3Batch.make}. */
    public void make(int lanes, int nmax, float[] x, int xOff, byte[] L, int lOff, float[] scales, int sOff) {
        for (int lane0 = 0; lane0 < lanes; lane0 += V) {
            int count = Math.min(V, lanes - lane0);
            transpose(count, x, xOff + lane0 * n);
            init(nmax);
            for (int pass = 0; pass < PASSES && pass(nmax); pass++) {
                // until no lane moved a level
            }
            finish(nmax);
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
    private void transpose(int count, float[] x, int xOff) {
        for (int j = 0; j < count; j++) {
            int xb = xOff + j * n;
            for (int i = 0; i < n; i++) {
                float xi = x[xb + i];
                float w = xi * xi;
                xT[i * V + j] = xi;
                wT[i * V + j] = w;
                wxT[i * V + j] = w * xi;
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

    /** The value of largest magnitude (first on ties), the scale {@code -nmax / max}, initial levels and sums. */
    private void init(int nmax) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector amax = zero;
        FloatVector max = zero;
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(S, xT, i * V);
            FloatVector ax = xi.abs();
            VectorMask<Float> bigger = ax.compare(VectorOperators.GT, amax);
            amax = amax.blend(ax, bigger);
            max = max.blend(xi, bigger);
        }
        VectorMask<Float> zeroLanes = amax.lt(EPS);
        // zero blocks get a harmless divisor; their results are replaced in finish
        max = max.blend(FloatVector.broadcast(S, 1f), zeroLanes);
        FloatVector iscale = FloatVector.broadcast(S, (float) -nmax).div(max);
        IntVector lo = IntVector.broadcast(IntVector.SPECIES_PREFERRED, -nmax);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax - 1);
        FloatVector sumlx = zero;
        FloatVector suml2 = zero;
        for (int i = 0; i < n; i++) {
            int t = i * V;
            FloatVector l = Levels.clamped(iscale.mul(FloatVector.fromArray(S, xT, t)), lo, hi);
            l.intoArray(lT, t);
            sumlx = sumlx.add(FloatVector.fromArray(S, wxT, t).mul(l));
            suml2 = suml2.add(FloatVector.fromArray(S, wT, t).mul(l).mul(l));
        }
        sumlx.intoArray(sumlxA, 0);
        suml2.intoArray(suml2A, 0);
        zeroLanes.intoArray(zeroA, 0);
    }

    /** One pass of level moves over every element of every lane; true when some lane moved a level. */
    private boolean pass(int nmax) {
        IntVector lo = IntVector.broadcast(IntVector.SPECIES_PREFERRED, -nmax);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax - 1);
        FloatVector zero = FloatVector.zero(S);
        FloatVector sumlx = FloatVector.fromArray(S, sumlxA, 0);
        FloatVector suml2 = FloatVector.fromArray(S, suml2A, 0);
        VectorMask<Float> changed = S.maskAll(false);
        for (int i = 0; i < n; i++) {
            int t = i * V;
            FloatVector xi = FloatVector.fromArray(S, xT, t);
            FloatVector w = FloatVector.fromArray(S, wT, t);
            FloatVector wx = FloatVector.fromArray(S, wxT, t);
            FloatVector li = FloatVector.fromArray(S, lT, t);
            FloatVector slx = sumlx.sub(wx.mul(li));
            FloatVector sl2 = suml2.sub(w.mul(li).mul(li));
            FloatVector nl = Levels.clamped(xi.mul(sl2).div(slx), lo, hi);
            FloatVector nslx = slx.add(wx.mul(nl));
            FloatVector nsl2 = sl2.add(w.mul(nl).mul(nl));
            VectorMask<Float> accept = slx.compare(VectorOperators.GT, zero)
                    .and(nl.compare(VectorOperators.NE, li))
                    .and(nsl2.compare(VectorOperators.GT, zero))
                    .and(nslx.mul(nslx).mul(suml2).compare(VectorOperators.GT, sumlx.mul(sumlx).mul(nsl2)));
            li.blend(nl, accept).intoArray(lT, t);
            sumlx = sumlx.blend(nslx, accept);
            suml2 = suml2.blend(nsl2, accept);
            changed = changed.or(accept);
        }
        sumlx.intoArray(sumlxA, 0);
        suml2.intoArray(suml2A, 0);
        return changed.anyTrue();
    }

    /** Biased levels and {@code sumlx / suml2} (0 when suml2 is not positive); zero blocks: levels 0, scale 0. */
    private void finish(int nmax) {
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> zeroLanes = VectorMask.fromArray(S, zeroA, 0);
        FloatVector bias = FloatVector.broadcast(S, (float) nmax);
        for (int i = 0; i < n; i++) {
            int t = i * V;
            FloatVector.fromArray(S, lT, t).add(bias).blend(zero, zeroLanes).intoArray(lT, t);
        }
        FloatVector sumlx = FloatVector.fromArray(S, sumlxA, 0);
        FloatVector suml2 = FloatVector.fromArray(S, suml2A, 0);
        sumlx.div(suml2).blend(zero, suml2.compare(VectorOperators.GT, zero).not().or(zeroLanes))
                .intoArray(scale, 0);
    }
}
