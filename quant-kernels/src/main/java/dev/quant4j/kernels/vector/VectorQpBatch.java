package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code make_qp_quants}'s scale with one block per lane (contract: {@code dev.quant4j.kernels.QpBatch}, scalar
 * routine {@code dev.quant4j.kernels.QpQuants}). Each lane does the scalar routine's float operations in its
 * order: the maximum, the nine trial scales, the level sums, the level moves with their accept test as a mask
 * (levels kept as unsigned bytes, as upstream). A lane whose move pass changed nothing would change nothing in
 * a further pass (same state), so passes stop when no lane changed: each lane's own early exit. Lanes whose
 * maximum is below the zero threshold get 0. Needs 16 native float lanes.
 */
public final class VectorQpBatch {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final int L = 16;
    /** GROUP_MAX_EPS, as {@code QxQuants.EPS}. */
    private static final float EPS = 1e-15f;
    private static final float MAGIC = 12582912f;

    private final int n;
    /** Value i of lane j at {@code [16·i + j]}: the values, weights, and the levels as unsigned bytes. */
    private final float[] xT;
    private final float[] wT;
    private final int[] lT;
    private final float[] result = new float[L];

    /** Scratch for blocks of n values. */
    public VectorQpBatch(int n) {
        this.n = n;
        xT = new float[L * n];
        wT = new float[L * n];
        lT = new int[L * n];
    }

    /** As {@code QpBatch.make}. */
    public void make(int lanes, int nmax, float[] x, float[] w, float[] scales) {
        for (int j = 0; j < L; j++) {
            for (int i = 0; i < n; i++) {
                xT[L * i + j] = j < lanes ? x[j * n + i] : 0f;
                wT[L * i + j] = j < lanes ? w[j * n + i] : 0f;
            }
        }
        search(nmax).intoArray(result, 0);
        System.arraycopy(result, 0, scales, 0, lanes);
    }

    /*
     * The phases are separate methods whose vector state goes through the arrays below: one method with all
     * of them is too big for the JIT to keep the vectors unboxed.
     */
    private final float[] maxA = new float[L];
    private final float[] iscaleA = new float[L];
    private final float[] bestMseA = new float[L];
    private final float[] sumlxA = new float[L];
    private final float[] suml2A = new float[L];

    private FloatVector search(int nmax) {
        start(nmax);
        for (int is = -4; is <= 4; is++) {
            if (is != 0) {
                trial(0.1f * is + (float) nmax, nmax);
            }
        }
        sums(nmax);
        for (int itry = 0; itry < 5 && movePass(nmax); itry++) {
            // until no lane moved a level
        }
        FloatVector sumlx = FloatVector.fromArray(F, sumlxA, 0);
        FloatVector suml2 = FloatVector.fromArray(F, suml2A, 0);
        FloatVector d = sumlx.div(suml2).blend(0f, suml2.compare(VectorOperators.GT, 0f).not());
        return d.blend(0f, FloatVector.fromArray(F, maxA, 0).compare(VectorOperators.LT, EPS));
    }

    /** The maximum, {@code iscale = nmax/max} and its weighted error with the levels read as unsigned bytes. */
    private void start(int nmax) {
        FloatVector max = FloatVector.zero(F);
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(F, xT, L * i);
            max = xi.blend(max, max.compare(VectorOperators.GT, xi)); // ggml's MAX(max, x)
        }
        FloatVector iscale = FloatVector.broadcast(F, (float) nmax).div(max);
        FloatVector scale = FloatVector.broadcast(F, 1f).div(iscale);
        FloatVector bestMse = FloatVector.zero(F);
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(F, xT, L * i);
            IntVector l = nearestInt(iscale.mul(xi)).and(0xFF);
            FloatVector diff = xi.sub(scale.mul(toFloat(l)));
            bestMse = bestMse.add(FloatVector.fromArray(F, wT, L * i).mul(diff).mul(diff));
        }
        max.intoArray(maxA, 0);
        iscale.intoArray(iscaleA, 0);
        bestMse.intoArray(bestMseA, 0);
    }

    /** One trial scale {@code iscale = numerator/max}: kept where its error is smaller. */
    private void trial(float numerator, int nmax) {
        FloatVector si = FloatVector.broadcast(F, numerator).div(FloatVector.fromArray(F, maxA, 0));
        FloatVector sc = FloatVector.broadcast(F, 1f).div(si);
        FloatVector mse = FloatVector.zero(F);
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(F, xT, L * i);
            IntVector l = nearestInt(si.mul(xi)).min(nmax);
            FloatVector diff = xi.sub(sc.mul(toFloat(l)));
            mse = mse.add(FloatVector.fromArray(F, wT, L * i).mul(diff).mul(diff));
        }
        FloatVector bestMse = FloatVector.fromArray(F, bestMseA, 0);
        VectorMask<Float> better = mse.compare(VectorOperators.LT, bestMse);
        bestMse.blend(mse, better).intoArray(bestMseA, 0);
        FloatVector.fromArray(F, iscaleA, 0).blend(si, better).intoArray(iscaleA, 0);
    }

    /** The levels at the chosen scale (stored as unsigned bytes) and their sums. */
    private void sums(int nmax) {
        FloatVector iscale = FloatVector.fromArray(F, iscaleA, 0);
        FloatVector sumlx = FloatVector.zero(F);
        FloatVector suml2 = FloatVector.zero(F);
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(F, xT, L * i);
            FloatVector wi = FloatVector.fromArray(F, wT, L * i);
            IntVector l = nearestInt(iscale.mul(xi)).min(nmax);
            l.and(0xFF).intoArray(lT, L * i);
            FloatVector lf = toFloat(l);
            sumlx = sumlx.add(wi.mul(xi).mul(lf));
            suml2 = suml2.add(wi.mul(lf).mul(lf));
        }
        sumlx.intoArray(sumlxA, 0);
        suml2.intoArray(suml2A, 0);
    }

    /** One pass of level moves over the values in order; true when some lane moved a level. */
    private boolean movePass(int nmax) {
        FloatVector sumlx = FloatVector.fromArray(F, sumlxA, 0);
        FloatVector suml2 = FloatVector.fromArray(F, suml2A, 0);
        VectorMask<Float> changed = F.maskAll(false);
        for (int i = 0; i < n; i++) {
            FloatVector xi = FloatVector.fromArray(F, xT, L * i);
            FloatVector wi = FloatVector.fromArray(F, wT, L * i);
            IntVector li = IntVector.fromArray(I, lT, L * i);
            FloatVector lf = toFloat(li);
            FloatVector slx = sumlx.sub(wi.mul(xi).mul(lf));
            FloatVector sl2 = suml2.sub(wi.mul(lf).mul(lf));
            VectorMask<Float> ok = slx.compare(VectorOperators.GT, 0f).and(sl2.compare(VectorOperators.GT, 0f));
            if (!ok.anyTrue()) {
                continue;
            }
            IntVector nl = nearestInt(xi.mul(sl2).div(slx)).min(nmax);
            ok = ok.and(nl.compare(VectorOperators.NE, li).cast(F));
            FloatVector nf = toFloat(nl);
            slx = slx.add(wi.mul(xi).mul(nf));
            sl2 = sl2.add(wi.mul(nf).mul(nf));
            ok = ok.and(slx.mul(slx).mul(suml2).compare(VectorOperators.GT, sumlx.mul(sumlx).mul(sl2)));
            li.blend(nl.and(0xFF), ok.cast(I)).intoArray(lT, L * i);
            sumlx = sumlx.blend(slx, ok);
            suml2 = suml2.blend(sl2, ok);
            changed = changed.or(ok);
        }
        sumlx.intoArray(sumlxA, 0);
        suml2.intoArray(suml2A, 0);
        return changed.anyTrue();
    }

    /** ggml's {@code nearest_int}: {@code bits(v + 1.5·2²³) & 0x7FFFFF − 0x400000}. */
    private static IntVector nearestInt(FloatVector v) {
        return v.add(MAGIC).reinterpretAsInts().and(0x007FFFFF).sub(0x00400000);
    }

    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }
}
