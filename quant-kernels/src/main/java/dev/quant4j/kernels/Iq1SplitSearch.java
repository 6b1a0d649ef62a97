package dev.quant4j.kernels;

import dev.quant4j.kernels.vector.VectorIq1SplitSearch;

/**
 * IQ1_S's exhaustive split search (ggml's {@code quantize_row_iq1_s_impl}, spec §8.8 steps 3–4) for up to
 * {@link #LANES} sub-blocks at once, one sub-block per lane. For each split {@code 0 ≤ i1 ≤ i2 ≤ n} of a
 * sub-block's sorted values, and for the two level tables {@code xp} (shift +1) then {@code xm} (shift −1),
 * ggml forms {@code sumqx = (a·t0 + b·t1) + c·t2} and {@code sumq2 = (wa·t0·t0 + wb·t1·t1) + wc·t2·t2} from
 * the prefix sums (a, wa: the first i1 values; b, wb: i1..i2; c, wc: the rest) and keeps the split when
 * {@code sumq2 > 0 && sumqx² > best·sumq2}, then {@code scale = sumqx/sumq2}, {@code best = scale·sumqx}.
 * The products that depend on i1 only or on i2 only are formed once; every addition and comparison is
 * ggml's, in its order, per sub-block.
 *
 * <p>Sub-blocks are independent, so the vector form ({@code VectorIq1SplitSearch}) runs 16 of them side by
 * side, each lane doing the scalar loop's float operations in its order; the accept test becomes a mask.
 * An instance holds scratch for one thread.
 */
public interface Iq1SplitSearch {
    /** Sub-blocks per call at most. */
    int LANES = 16;

    /**
     * Searches {@code lanes ≤ LANES} sub-blocks of n sorted values.
     *
     * @param sumx  {@code Σ w·x} over the first j sorted values of lane l at {@code sumx[LANES·j + l]},
     *              j = 0..n ({@code sumx[l] = 0})
     * @param sumw  {@code Σ w} likewise
     * @param i1    receives lane l's first split point (valid when {@code shift[l] ≠ 0})
     * @param i2    receives the second split point
     * @param shift receives 1 (table xp), −1 (table xm) or 0 when no split qualified
     * @param scale receives {@code sumqx/sumq2} of the kept split
     */
    void search(int lanes, float[] sumx, float[] sumw, int[] i1, int[] i2, int[] shift, float[] scale);

    /**
     * The vector form when enabled and 16 lanes are native, else {@link #scalar}; both give the same results.
     *
     * @param xp the three levels of shift +1
     * @param xm the three levels of shift −1
     */
    static Iq1SplitSearch create(int n, float[] xp, float[] xm) {
        return CodebookArgmin.vectorized() ? new VectorIq1SplitSearch(n, xp, xm)::search : scalar(n, xp, xm);
    }

    /** The one-sub-block-at-a-time reference. */
    static Iq1SplitSearch scalar(int n, float[] xp, float[] xm) {
        return (lanes, sumx, sumw, i1, i2, shift, scale) -> {
            for (int l = 0; l < lanes; l++) {
                searchOne(n, xp, xm, sumx, sumw, l, i1, i2, shift, scale);
            }
        };
    }

    private static void searchOne(int n, float[] xp, float[] xm, float[] sumx, float[] sumw, int l, int[] outI1,
                                  int[] outI2, int[] outShift, float[] outScale) {
        float sx0 = sumx[l];
        float sw0 = sumw[l];
        float sxn = sumx[LANES * n + l];
        float swn = sumw[LANES * n + l];
        float best = -Float.MAX_VALUE;
        float scale = 0;
        int bestI1 = 0;
        int bestI2 = 0;
        int bestShift = 0;
        for (int i1 = 0; i1 <= n; i1++) {
            float sxi1 = sumx[LANES * i1 + l];
            float swi1 = sumw[LANES * i1 + l];
            float a = sxi1 - sx0;
            float wa = swi1 - sw0;
            float headXp = a * xp[0];
            float headWp = wa * xp[0] * xp[0];
            float headXm = a * xm[0];
            float headWm = wa * xm[0] * xm[0];
            for (int i2 = i1; i2 <= n; i2++) {
                float sxi2 = sumx[LANES * i2 + l];
                float swi2 = sumw[LANES * i2 + l];
                float b = sxi2 - sxi1;
                float wb = swi2 - swi1;
                float c = sxn - sxi2;
                float wc = swn - swi2;
                float sumqx = headXp + b * xp[1] + c * xp[2];
                float sumq2 = headWp + wb * xp[1] * xp[1] + wc * xp[2] * xp[2];
                if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                    scale = sumqx / sumq2;
                    best = scale * sumqx;
                    bestI1 = i1;
                    bestI2 = i2;
                    bestShift = 1;
                }
                sumqx = headXm + b * xm[1] + c * xm[2];
                sumq2 = headWm + wb * xm[1] * xm[1] + wc * xm[2] * xm[2];
                if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                    scale = sumqx / sumq2;
                    best = scale * sumqx;
                    bestI1 = i1;
                    bestI2 = i2;
                    bestShift = -1;
                }
            }
        }
        outI1[l] = bestI1;
        outI2[l] = bestI2;
        outShift[l] = bestShift;
        outScale[l] = scale;
    }
}
