package dev.quant4j.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * IQ1_S's split search with one sub-block per lane (contract: {@code dev.quant4j.kernels.Iq1SplitSearch}).
 * Each lane walks the splits in ggml's order with ggml's float operations; the accept test is a mask and the
 * accepting lanes take the new scale, score and split by blending, so every lane ends where the scalar loop
 * ends. The division is done only when some lane accepts. Needs 16 native float lanes.
 */
public final class VectorIq1SplitSearch {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final int L = 16;

    private final int n;
    private final float p0;
    private final float p1;
    private final float p2;
    private final float m0;
    private final float m1;
    private final float m2;
    /** Per i2, per lane: the tail products {@code c·t2} and {@code wc·t2·t2} of both tables. */
    private final float[] tailXp;
    private final float[] tailWp;
    private final float[] tailXm;
    private final float[] tailWm;
    private final int[] packed = new int[L];
    private final float[] scales = new float[L];

    /** Scratch for sub-blocks of n values; xp, xm as {@code Iq1SplitSearch.create}. */
    public VectorIq1SplitSearch(int n, float[] xp, float[] xm) {
        this.n = n;
        p0 = xp[0];
        p1 = xp[1];
        p2 = xp[2];
        m0 = xm[0];
        m1 = xm[1];
        m2 = xm[2];
        tailXp = new float[L * (n + 1)];
        tailWp = new float[L * (n + 1)];
        tailXm = new float[L * (n + 1)];
        tailWm = new float[L * (n + 1)];
    }

    /** As {@code Iq1SplitSearch.search}; lanes at and above {@code lanes} are computed and dropped. */
    public void search(int lanes, float[] sumx, float[] sumw, int[] i1Out, int[] i2Out, int[] shiftOut,
                       float[] scaleOut) {
        tails(sumx, sumw);
        walk(sumx, sumw);
        for (int l = 0; l < lanes; l++) {
            int p = packed[l];
            i1Out[l] = p >>> 16;
            i2Out[l] = (p >>> 8) & 0xFF;
            shiftOut[l] = switch (p & 3) {
                case 1 -> 1;
                case 2 -> -1;
                default -> 0;
            };
            scaleOut[l] = scales[l];
        }
    }

    /** The products of the values after i2, per i2 and lane. */
    private void tails(float[] sumx, float[] sumw) {
        FloatVector sxn = FloatVector.fromArray(F, sumx, L * n);
        FloatVector swn = FloatVector.fromArray(F, sumw, L * n);
        for (int i2 = 0; i2 <= n; i2++) {
            FloatVector c = sxn.sub(FloatVector.fromArray(F, sumx, L * i2));
            FloatVector wc = swn.sub(FloatVector.fromArray(F, sumw, L * i2));
            c.mul(p2).intoArray(tailXp, L * i2);
            wc.mul(p2).mul(p2).intoArray(tailWp, L * i2);
            c.mul(m2).intoArray(tailXm, L * i2);
            wc.mul(m2).mul(m2).intoArray(tailWm, L * i2);
        }
    }

    /**
     * The split loop for all lanes, into {@link #packed} ({@code i1 << 16 | i2 << 8 | 1} for shift +1, {@code 2}
     * for −1, 0 while no split qualified) and {@link #scales}. One method with the accept test written out
     * twice: the JIT must keep every vector and mask in registers (a call it does not inline boxes them).
     */
    private void walk(float[] sumx, float[] sumw) {
        FloatVector sx0 = FloatVector.fromArray(F, sumx, 0);
        FloatVector sw0 = FloatVector.fromArray(F, sumw, 0);
        FloatVector best = FloatVector.broadcast(F, -Float.MAX_VALUE);
        FloatVector scale = FloatVector.zero(F);
        IntVector split = IntVector.zero(I);
        for (int i1 = 0; i1 <= n; i1++) {
            FloatVector sxi1 = FloatVector.fromArray(F, sumx, L * i1);
            FloatVector swi1 = FloatVector.fromArray(F, sumw, L * i1);
            FloatVector a = sxi1.sub(sx0);
            FloatVector wa = swi1.sub(sw0);
            FloatVector headXp = a.mul(p0);
            FloatVector headWp = wa.mul(p0).mul(p0);
            FloatVector headXm = a.mul(m0);
            FloatVector headWm = wa.mul(m0).mul(m0);
            for (int i2 = i1; i2 <= n; i2++) {
                FloatVector b = FloatVector.fromArray(F, sumx, L * i2).sub(sxi1);
                FloatVector wb = FloatVector.fromArray(F, sumw, L * i2).sub(swi1);
                // ggml: sumq2 > 0 && sumqx*sumqx > best*sumq2
                FloatVector sumqx = headXp.add(b.mul(p1)).add(FloatVector.fromArray(F, tailXp, L * i2));
                FloatVector sumq2 = headWp.add(wb.mul(p1).mul(p1)).add(FloatVector.fromArray(F, tailWp, L * i2));
                VectorMask<Float> take = sumqx.mul(sumqx).compare(VectorOperators.GT, best.mul(sumq2))
                        .and(sumq2.compare(VectorOperators.GT, 0f));
                if (take.anyTrue()) {
                    FloatVector s = sumqx.div(sumq2);
                    scale = scale.blend(s, take);
                    best = best.blend(s.mul(sumqx), take);
                    split = split.blend(i1 << 16 | i2 << 8 | 1, take.cast(I));
                }
                sumqx = headXm.add(b.mul(m1)).add(FloatVector.fromArray(F, tailXm, L * i2));
                sumq2 = headWm.add(wb.mul(m1).mul(m1)).add(FloatVector.fromArray(F, tailWm, L * i2));
                take = sumqx.mul(sumqx).compare(VectorOperators.GT, best.mul(sumq2))
                        .and(sumq2.compare(VectorOperators.GT, 0f));
                if (take.anyTrue()) {
                    FloatVector s = sumqx.div(sumq2);
                    scale = scale.blend(s, take);
                    best = best.blend(s.mul(sumqx), take);
                    split = split.blend(i1 << 16 | i2 << 8 | 2, take.cast(I));
                }
            }
        }
        split.intoArray(packed, 0);
        scale.intoArray(scales, 0);
    }
}
