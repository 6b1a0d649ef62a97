package dev.quant4j.lowbit.iq;

import java.util.Arrays;

/**
 * The per-sub-block scale search of the grid types IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS and IQ3_S (spec §8.3
 * steps 1–7 and the variations of §8.4–§8.7): sign bits and {@code xval = |x|}, candidate passes
 * {@code id = (2·kmax − 1 + step·is)/divisor} keeping the levels of the best weighted fit, the refit on the
 * grid, and the flip of the signs when the scale came out negative. What differs per type is a {@link Params}
 * record; the weights, the zero test and the record layout stay with each quantizer. Holds the scratch of one
 * quantize call (not thread safe; one instance per call).
 */
final class SubBlockScaleSearch {

    /** How the kept levels are refit on the grid after the candidate passes (spec §8.3 step 6). */
    enum Refit {
        /** IQ2_XXS: every group is re-snapped whenever {@code scale > 0}. */
        ALL_GROUPS,
        /** IQ2_XS, IQ2_S, IQ3_XXS: only the kept off-grid groups, if any, and {@code scale > 0}. */
        OFF_GRID_GROUPS,
        /**
         * IQ3_S: every group, if any kept group is off-grid and {@code scale > 0}; all groups start flagged
         * off-grid, so a sub-block with no improving pass is refit at the initial scale.
         */
        ALL_GROUPS_IF_ANY_OFF
    }

    /**
     * Per-type constants.
     *
     * @param n        sub-block length (16 or 32)
     * @param steps    passes run {@code is = -steps .. steps}
     * @param step     id increment per pass (0.1 or 0.2)
     * @param signBits sign bits per group of 8: 7 with the parity trick, 8 explicit
     * @param refit    the refit rule
     */
    record Params(int n, int steps, float step, int signBits, Refit refit) {
        Params {
            if (n != 16 && n != 32) {
                throw new IllegalArgumentException("n must be 16 or 32: " + n);
            }
            if (signBits != 7 && signBits != 8) {
                throw new IllegalArgumentException("signBits must be 7 or 8: " + signBits);
            }
        }
    }

    private final int n;
    private final int kmax;
    private final int dims;
    private final int steps;
    private final float step;
    private final boolean parity;
    private final int signMask;
    private final Refit refit;
    private final LevelFit fit;
    private final byte[] aux;
    private final boolean[] onGrid;
    private final boolean[] onGridAux;
    /** The codebook search (also used by the callers for {@code entryOf}). */
    final GridSearch grid;
    /** Per-value weights; filled by the caller before {@link #signsAndMax}. */
    final float[] weight;
    final float[] waux;
    final float[] xval;
    /** Levels of the chosen grid entries after {@link #search}. */
    final byte[] levels;
    /** Sign bits of each group of 8, flipped by {@link #search} if the scale was negative. */
    final int[] signs;

    SubBlockScaleSearch(Codebook cb, Params p) {
        this.n = p.n();
        this.kmax = cb.bits == 3 ? 8 : 3;
        this.dims = cb.dims;
        this.steps = p.steps();
        this.step = p.step();
        this.parity = p.signBits() == 7;
        this.signMask = (1 << p.signBits()) - 1;
        this.refit = p.refit();
        this.fit = new LevelFit(n, kmax);
        this.grid = new GridSearch(cb);
        this.weight = new float[n];
        this.waux = new float[n];
        this.xval = new float[n];
        this.levels = new byte[n];
        this.aux = new byte[n];
        this.onGrid = new boolean[n / dims];
        this.onGridAux = new boolean[n / dims];
        this.signs = new int[n / 8];
    }

    /**
     * With {@link #weight} filled for the sub-block at {@code xb}: {@code waux = sqrt(weight)}, the sign bits
     * of each group of 8 (parity-coded or explicit) and {@code xval}; returns {@code max xval}.
     */
    float signsAndMax(float[] x, int xb) {
        IqMath.sqrtOf(weight, waux, n);
        for (int k = 0; k < n / 8; k++) {
            signs[k] = parity
                    ? IqMath.paritySigns(x, xb + 8 * k, weight, 8 * k, xval, 8 * k)
                    : IqMath.signs8(x, xb + 8 * k, xval, 8 * k);
        }
        return IqMath.max(xval, n);
    }

    /**
     * The passes, the refit and the sign flip for a non-zero sub-block: levels start at 0 and the scale at
     * {@code scale}; candidate ids divide by {@code divisor}. Leaves the grid levels in {@link #levels} and
     * returns the scale, made non-negative.
     */
    float search(float divisor, float scale) {
        Arrays.fill(levels, (byte) 0);
        fit.prepare(weight, xval, n, kmax);
        if (dims == 4) {
            grid.setGroups(xval, waux, n);
        }
        float best = 0;
        Arrays.fill(onGrid, refit != Refit.ALL_GROUPS_IF_ANY_OFF);
        for (int is = -steps; is <= steps; is++) {
            float id = (2 * kmax - 1 + is * step) / divisor;
            float thisScale = 1 / id;
            snapAll(id, thisScale, aux, onGridAux);
            fit.sum(aux, n);
            float sumqx = fit.sumQx;
            float sumq2 = fit.sumQ2;
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                scale = sumqx / sumq2;
                best = scale * sumqx;
                System.arraycopy(aux, 0, levels, 0, n);
                System.arraycopy(onGridAux, 0, onGrid, 0, onGrid.length);
            }
        }
        if ((refit == Refit.ALL_GROUPS || anyOff()) && scale > 0) {
            float id = 1 / scale;
            if (refit == Refit.OFF_GRID_GROUPS) {
                for (int k = 0; k < onGrid.length; k++) {
                    if (!onGrid[k]) {
                        grid.snap(id, scale, xval, waux, dims * k, levels);
                    }
                }
            } else {
                snapAll(id, scale, levels, onGridAux);
            }
            fit.sum(levels, n);
            float sumqx = fit.sumQx;
            float sumq2 = fit.sumQ2;
            if (sumq2 > 0) {
                scale = sumqx / sumq2;
            }
        }
        if (scale < 0) {
            scale = -scale;
            for (int k = 0; k < signs.length; k++) {
                signs[k] = ~signs[k] & signMask;
            }
        }
        return scale;
    }

    private void snapAll(float id, float scale, byte[] into, boolean[] flags) {
        if (dims == 4) {
            grid.snapGroups(id, scale, into, flags);
        } else {
            grid.snapAll(id, scale, xval, waux, n, into, flags);
        }
    }

    private boolean anyOff() {
        for (boolean b : onGrid) {
            if (!b) {
                return true;
            }
        }
        return false;
    }
}
