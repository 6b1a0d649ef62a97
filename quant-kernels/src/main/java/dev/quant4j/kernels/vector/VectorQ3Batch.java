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
 * the passes stop when no lane changed, which is each lane's own early exit.
 *
 * <p>The level moves form one long dependency chain per block (each accept test needs the sums the previous
 * element left), so two groups of {@code V} blocks run interleaved: their chains are independent and the core
 * overlaps them. Missing blocks are zero blocks.
 */
public final class VectorQ3Batch {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** GROUP_MAX_EPS, as {@code QxQuants.EPS}. */
    private static final float EPS = 1e-15f;
    private static final int PASSES = 5;

    private final int n;
    /** Offset of the second group in the transposed arrays. */
    private final int g2;
    /** Gathers for the group's transposes, null when n is not a multiple of V. */
    private final BlockTranspose gather;
    // two groups of V blocks, transposed: element i of lane j of group g at g * g2 + i * V + j; w = x^2, wx = w * x
    private final float[] xT;
    private final float[] wT;
    private final float[] wxT;
    private final float[] lT;
    // per-lane sums of both groups between the phases (group g at g * V)
    private final float[] sumlxA = new float[2 * V];
    private final float[] suml2A = new float[2 * V];
    private final boolean[] zeroA = new boolean[2 * V];
    private final float[] scale = new float[2 * V];

    /** Scratch for blocks of {@code n} values (any number of them per call). */
    public VectorQ3Batch(int n) {
        this.n = n;
        g2 = n * V;
        gather = BlockTranspose.fits(n) ? new BlockTranspose(n) : null;
        xT = new float[2 * g2];
        wT = new float[2 * g2];
        wxT = new float[2 * g2];
        lT = new float[2 * g2];
    }

    /** As {@code Q3Batch.make}. */
    public void make(int lanes, int nmax, float[] x, int xOff, byte[] L, int lOff, float[] scales, int sOff) {
        for (int lane0 = 0; lane0 < lanes; lane0 += 2 * V) {
            for (int g = 0; g < 2; g++) {
                int first = lane0 + g * V;
                int count = Math.max(0, Math.min(V, lanes - first));
                if (count == V && gather != null) {
                    gatherGroup(x, xOff + first * n, g * g2);
                } else {
                    transpose(count, x, xOff + first * n, g * g2);
                }
                init(nmax, g);
            }
            for (int pass = 0; pass < PASSES && pass(nmax); pass++) {
                // until no lane of either group moved a level
            }
            for (int g = 0; g < 2; g++) {
                int first = lane0 + g * V;
                int count = Math.min(V, lanes - first);
                if (count <= 0) {
                    break;
                }
                finish(nmax, g);
                System.arraycopy(scale, g * V, scales, sOff + first, count);
                copyLevels(count, g * g2, L, lOff + first * n);
            }
        }
    }

    /** Levels of the group at {@code base} into block order. */
    private void copyLevels(int count, int base, byte[] L, int lOff) {
        if (gather != null) {
            gather.levelsToBlocks(count, lT, base, L, lOff);
            return;
        }
        for (int j = 0; j < count; j++) {
            for (int i = 0; i < n; i++) {
                L[lOff + j * n + i] = (byte) lT[base + i * V + j];
            }
        }
    }

    /** As {@link #transpose} for a whole group, with gathers; w and wx computed lane-wise as the scalar loop does. */
    private void gatherGroup(float[] x, int xOff, int base) {
        for (int i = 0; i < n; i++) {
            FloatVector xi = gather.lane(x, xOff, i);
            FloatVector w = xi.mul(xi);
            int t = base + i * V;
            xi.intoArray(xT, t);
            w.intoArray(wT, t);
            w.mul(xi).intoArray(wxT, t);
        }
    }

    /** Loads {@code count} blocks into the group at {@code base}; missing lanes are zero blocks. */
    private void transpose(int count, float[] x, int xOff, int base) {
        for (int j = 0; j < V; j++) {
            int xb = xOff + j * n;
            for (int i = 0; i < n; i++) {
                float xi = j < count ? x[xb + i] : 0f;
                float w = xi * xi;
                int t = base + i * V + j;
                xT[t] = xi;
                wT[t] = w;
                wxT[t] = w * xi;
            }
        }
    }

    /** The value of largest magnitude (first on ties), the scale {@code -nmax / max}, initial levels and sums. */
    private void init(int nmax, int g) {
        int base = g * g2;
        FloatVector zero = FloatVector.zero(S);
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
        // zero blocks get a harmless divisor; their results are replaced in finish
        max = max.blend(FloatVector.broadcast(S, 1f), zeroLanes);
        FloatVector iscale = FloatVector.broadcast(S, (float) -nmax).div(max);
        IntVector lo = IntVector.broadcast(IntVector.SPECIES_PREFERRED, -nmax);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax - 1);
        FloatVector sumlx = zero;
        FloatVector suml2 = zero;
        for (int i = 0; i < n; i++) {
            int t = base + i * V;
            FloatVector l = Levels.clamped(iscale.mul(FloatVector.fromArray(S, xT, t)), lo, hi);
            l.intoArray(lT, t);
            sumlx = sumlx.add(FloatVector.fromArray(S, wxT, t).mul(l));
            suml2 = suml2.add(FloatVector.fromArray(S, wT, t).mul(l).mul(l));
        }
        sumlx.intoArray(sumlxA, g * V);
        suml2.intoArray(suml2A, g * V);
        zeroLanes.intoArray(zeroA, g * V);
    }

    /** One pass of level moves over every element of every lane of both groups; true when some lane moved a level. */
    private boolean pass(int nmax) {
        IntVector lo = IntVector.broadcast(IntVector.SPECIES_PREFERRED, -nmax);
        IntVector hi = IntVector.broadcast(IntVector.SPECIES_PREFERRED, nmax - 1);
        FloatVector zero = FloatVector.zero(S);
        FloatVector sumlxA0 = FloatVector.fromArray(S, sumlxA, 0);
        FloatVector suml2A0 = FloatVector.fromArray(S, suml2A, 0);
        FloatVector sumlxB0 = FloatVector.fromArray(S, sumlxA, V);
        FloatVector suml2B0 = FloatVector.fromArray(S, suml2A, V);
        FloatVector sumlxA1 = sumlxA0;
        FloatVector suml2A1 = suml2A0;
        FloatVector sumlxB1 = sumlxB0;
        FloatVector suml2B1 = suml2B0;
        VectorMask<Float> changed = S.maskAll(false);
        // the two groups (A, B) are written out side by side: their chains are independent, so the core overlaps
        // them; a method per group would box its vectors
        for (int i = 0; i < n; i++) {
            int ta = i * V;
            int tb = g2 + ta;
            FloatVector xa = FloatVector.fromArray(S, xT, ta);
            FloatVector xb = FloatVector.fromArray(S, xT, tb);
            FloatVector wa = FloatVector.fromArray(S, wT, ta);
            FloatVector wb = FloatVector.fromArray(S, wT, tb);
            FloatVector wxa = FloatVector.fromArray(S, wxT, ta);
            FloatVector wxb = FloatVector.fromArray(S, wxT, tb);
            FloatVector la = FloatVector.fromArray(S, lT, ta);
            FloatVector lb = FloatVector.fromArray(S, lT, tb);
            FloatVector slxa = sumlxA1.sub(wxa.mul(la));
            FloatVector slxb = sumlxB1.sub(wxb.mul(lb));
            FloatVector sl2a = suml2A1.sub(wa.mul(la).mul(la));
            FloatVector sl2b = suml2B1.sub(wb.mul(lb).mul(lb));
            FloatVector nla = Levels.clamped(xa.mul(sl2a).div(slxa), lo, hi);
            FloatVector nlb = Levels.clamped(xb.mul(sl2b).div(slxb), lo, hi);
            FloatVector nslxa = slxa.add(wxa.mul(nla));
            FloatVector nslxb = slxb.add(wxb.mul(nlb));
            FloatVector nsl2a = sl2a.add(wa.mul(nla).mul(nla));
            FloatVector nsl2b = sl2b.add(wb.mul(nlb).mul(nlb));
            VectorMask<Float> acceptA = slxa.compare(VectorOperators.GT, zero)
                    .and(nla.compare(VectorOperators.NE, la))
                    .and(nsl2a.compare(VectorOperators.GT, zero))
                    .and(nslxa.mul(nslxa).mul(suml2A1).compare(VectorOperators.GT, sumlxA1.mul(sumlxA1).mul(nsl2a)));
            VectorMask<Float> acceptB = slxb.compare(VectorOperators.GT, zero)
                    .and(nlb.compare(VectorOperators.NE, lb))
                    .and(nsl2b.compare(VectorOperators.GT, zero))
                    .and(nslxb.mul(nslxb).mul(suml2B1).compare(VectorOperators.GT, sumlxB1.mul(sumlxB1).mul(nsl2b)));
            la.blend(nla, acceptA).intoArray(lT, ta);
            lb.blend(nlb, acceptB).intoArray(lT, tb);
            sumlxA1 = sumlxA1.blend(nslxa, acceptA);
            suml2A1 = suml2A1.blend(nsl2a, acceptA);
            sumlxB1 = sumlxB1.blend(nslxb, acceptB);
            suml2B1 = suml2B1.blend(nsl2b, acceptB);
            changed = changed.or(acceptA).or(acceptB);
        }
        sumlxA1.intoArray(sumlxA, 0);
        suml2A1.intoArray(suml2A, 0);
        sumlxB1.intoArray(sumlxA, V);
        suml2B1.intoArray(suml2A, V);
        return changed.anyTrue();
    }

    /** Biased levels and {@code sumlx / suml2} (0 when suml2 is not positive) of group g; zero blocks: 0 and 0. */
    private void finish(int nmax, int g) {
        int base = g * g2;
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> zeroLanes = VectorMask.fromArray(S, zeroA, g * V);
        FloatVector bias = FloatVector.broadcast(S, (float) nmax);
        for (int i = 0; i < n; i++) {
            int t = base + i * V;
            FloatVector.fromArray(S, lT, t).add(bias).blend(zero, zeroLanes).intoArray(lT, t);
        }
        FloatVector sumlx = FloatVector.fromArray(S, sumlxA, g * V);
        FloatVector suml2 = FloatVector.fromArray(S, suml2A, g * V);
        sumlx.div(suml2).blend(zero, suml2.compare(VectorOperators.GT, zero).not().or(zeroLanes))
                .intoArray(scale, g * V);
    }
}
