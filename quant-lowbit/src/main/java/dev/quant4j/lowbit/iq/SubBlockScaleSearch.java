package dev.quant4j.lowbit.iq;

import dev.quant4j.kernels.CodebookArgmin;
import dev.quant4j.kernels.QpBatch;
import dev.quant4j.kernels.Rounding;
import java.util.Arrays;

/**
 * The per-sub-block scale search of the grid types IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS and IQ3_S (spec §8.3
 * steps 1–7 and the variations of §8.4–§8.7): sign bits and {@code xval = |x|}, candidate passes
 * {@code id = (2·kmax − 1 + step·is)/divisor} keeping the levels of the best weighted fit, the refit on the
 * grid, and the flip of the signs when the scale came out negative. What differs per type is a {@link Params}
 * record; the record layout and the super-block scale stay with each quantizer. Holds the scratch of one
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

    /** The per-value weights of a sub-block (spec §8.3 step 1 and its variations). */
    enum Weighting {
        /** {@code qw·sqrt(sigma2 + x²)}; importance required (IQ2_XXS, IQ2_XS). */
        IMPORTANCE,
        /** As {@link #IMPORTANCE}, or {@code x²} without importance (IQ3_XXS, IQ3_S). */
        IMPORTANCE_OR_SQUARES,
        /** As {@link #IMPORTANCE}, or {@code 0.25·sigma2 + x²} without importance (IQ2_S). */
        IMPORTANCE_OR_SIGMA
    }

    /**
     * Per-type constants.
     *
     * @param n           sub-block length (16 or 32)
     * @param sigmaFactor {@code sigma2 = sigmaFactor·(Σ x²)/256} over the super-block (1 or 2)
     * @param weighting   the weights
     * @param eps         a sub-block with {@code max xval < eps} is zero (IQ3_S tests {@code max == 0}:
     *                    {@link Float#MIN_VALUE}, as xval is never negative there)
     * @param qpStart     IQ2_XXS: the start scale and divisor come from {@code make_qp_quants} (§8.3 step 4)
     * @param steps       passes run {@code is = -steps .. steps}
     * @param step        id increment per pass (0.1 or 0.2)
     * @param signBits    sign bits per group of 8: 7 with the parity trick, 8 explicit
     * @param refit       the refit rule
     */
    record Params(int n, int sigmaFactor, Weighting weighting, float eps, boolean qpStart, int steps, float step,
                  int signBits, Refit refit) {
        Params {
            if (n != 16 && n != 32) {
                throw new IllegalArgumentException("n must be 16 or 32: " + n);
            }
            if (sigmaFactor != 1 && sigmaFactor != 2) {
                throw new IllegalArgumentException("sigmaFactor must be 1 or 2: " + sigmaFactor);
            }
            if (signBits != 7 && signBits != 8) {
                throw new IllegalArgumentException("signBits must be 7 or 8: " + signBits);
            }
        }
    }

    private static final int QK = 256;
    private final int n;
    private final int sigmaFactor;
    private final Weighting weighting;
    private final float eps;
    private final boolean qpStart;
    private final int kmax;
    private final int dims;
    private final int steps;
    private final float step;
    private final boolean parity;
    private final int signMask;
    private final Refit refit;
    private final LevelFit fit;
    private final boolean[] onGrid;
    private final boolean[] onGridAux;
    private final GridSearch grid;
    private final float[] weight;
    private final float[] waux;
    private final float[] xval;
    private final byte[] levels;
    /** The super-block's sub-blocks after {@link #prepareBlock}: weights, xval, signs, maxima, start scales. */
    private final float[] blockWeight = new float[QK];
    private final float[] blockXval = new float[QK];
    private final int[] blockSigns = new int[QK / 8];
    private final float[] blockMax;
    private final float[] blockStart;
    private final QpBatch qp;
    /** The 8-coordinate codebooks' passes, snapped together: ids, scales, levels and flags per pass. */
    private final float[] passIds;
    private final float[] passScales;
    private final byte[] passLevels;
    private final boolean[] passOnGrid;
    /** The vector path's pass codes (group k of pass p at {@code [k·lanes + p]}) and fit sums. */
    private final int[] passCodes;
    private final float[] passSumQx;
    private final float[] passSumQ2;
    /** Sign bits of each group of 8 after {@link #fit}, flipped if the scale came out negative. */
    final int[] signs;
    /** The non-negative sub-block scale of the last successful {@link #fit}. */
    float scale;

    SubBlockScaleSearch(Codebook cb, Params p) {
        this.n = p.n();
        this.sigmaFactor = p.sigmaFactor();
        this.weighting = p.weighting();
        this.eps = p.eps();
        this.qpStart = p.qpStart();
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
        this.onGrid = new boolean[n / dims];
        this.onGridAux = new boolean[n / dims];
        this.signs = new int[n / 8];
        this.blockMax = new float[QK / n];
        this.blockStart = new float[QK / n];
        this.qp = qpStart ? QpBatch.create(n) : null;
        int passes = 2 * steps + 1;
        // whole chunks of lanes: the lane-per-pass kernels load 16 passes at a time
        int lanes = (passes + CodebookArgmin.LANES - 1) / CodebookArgmin.LANES * CodebookArgmin.LANES;
        this.passIds = new float[lanes];
        this.passScales = new float[lanes];
        this.passLevels = new byte[passes * n];
        this.passOnGrid = new boolean[passes * (n / dims)];
        this.passCodes = new int[lanes * (n / dims)];
        this.passSumQx = new float[lanes];
        this.passSumQ2 = new float[lanes];
    }

    /** {@code sigma2} of the super-block at {@code x[xo..xo+256)}. */
    float sigma2(float[] x, int xo) {
        return sigmaFactor * IqMath.sumSquares(x, xo, QK) / QK;
    }

    /**
     * Steps 1–2 for every sub-block of the super-block at {@code x[xo..xo+256)}: weights, signs, {@code xval}
     * and its maximum; with {@code qpStart} also every sub-block's start scale, all in one batch ({@link QpBatch},
     * side by side). {@link #fit(int)} then takes them up one sub-block at a time.
     */
    void prepareBlock(float[] x, int xo, float[] qw, float sigma2) {
        for (int ib = 0; ib < blockMax.length; ib++) {
            int xb = xo + n * ib;
            int bo = n * ib;
            if (qw != null) {
                IqMath.importanceWeights(x, xb, qw, xb, sigma2, blockWeight, bo, n);
            } else if (weighting == Weighting.IMPORTANCE_OR_SQUARES) {
                for (int i = 0; i < n; i++) {
                    blockWeight[bo + i] = x[xb + i] * x[xb + i];
                }
            } else if (weighting == Weighting.IMPORTANCE_OR_SIGMA) {
                for (int i = 0; i < n; i++) {
                    blockWeight[bo + i] = 0.25f * sigma2 + x[xb + i] * x[xb + i];
                }
            } else {
                throw new IllegalStateException("importance required"); // RowQuantizer checks this first
            }
            for (int k = 0; k < n / 8; k++) {
                blockSigns[n / 8 * ib + k] = parity
                        ? IqMath.paritySigns(x, xb + 8 * k, blockWeight, bo + 8 * k, blockXval, bo + 8 * k)
                        : IqMath.signs8(x, xb + 8 * k, blockXval, bo + 8 * k);
            }
            float max = blockXval[bo];
            for (int i = 1; i < n; i++) {
                max = Rounding.cmax(max, blockXval[bo + i]);
            }
            blockMax[ib] = max;
        }
        if (qpStart) {
            qp.make(blockMax.length, kmax + 1, blockXval, blockWeight, blockStart);
        }
    }

    /**
     * Steps 3–7 for sub-block {@code ib} of the last {@link #prepareBlock}: zero test, start scale, passes,
     * refit and sign flip. Returns false for a zero sub-block (it gets no codes); else the grid indices are
     * {@link #entry}, the signs in {@link #signs} and the scale in {@link #scale}.
     */
    boolean fit(int ib) {
        System.arraycopy(blockWeight, n * ib, weight, 0, n);
        System.arraycopy(blockXval, n * ib, xval, 0, n);
        System.arraycopy(blockSigns, n / 8 * ib, signs, 0, n / 8);
        IqMath.sqrtOf(weight, waux, n);
        float max = blockMax[ib];
        if (max < eps) {
            return false;
        }
        if (qpStart) {
            float start = blockStart[ib];
            float effMax = start * kmax;
            if (effMax <= 0) {
                return false;
            }
            scale = search(effMax, start);
        } else {
            scale = search(max, max / (2 * kmax - 1));
        }
        return true;
    }

    /**
     * The passes, the refit and the sign flip for a non-zero sub-block: levels start at 0 and the scale at
     * {@code scale}; candidate ids divide by {@code divisor}. Leaves the grid levels in {@code levels} and
     * returns the scale, made non-negative.
     */
    private float search(float divisor, float scale) {
        Arrays.fill(levels, (byte) 0);
        fit.prepare(weight, xval, n, kmax);
        if (dims == 4) {
            grid.setGroups(xval, waux, n);
        }
        Arrays.fill(onGrid, refit != Refit.ALL_GROUPS_IF_ANY_OFF);
        // all passes' snaps first (they are independent), then ggml's sequential choice among them
        int passes = 2 * steps + 1;
        for (int is = -steps, p = 0; is <= steps; is++, p++) {
            passIds[p] = (2 * kmax - 1 + is * step) / divisor;
            passScales[p] = 1 / passIds[p];
        }
        return refit(dims == 8 && CodebookArgmin.vectorized() ? chooseByCodes(passes, scale)
                : chooseByLevels(passes, scale));
    }

    /**
     * Vector path of the 8-coordinate codebooks: the passes' codes, their fit sums side by side, then ggml's
     * sequential choice; only a kept pass's levels are written out. Returns the kept scale.
     */
    private float chooseByCodes(int passes, float scale) {
        int groups = n / dims;
        int stride = passIds.length;
        grid.snapPassCodes(passIds, passScales, passes, xval, waux, n, passCodes, stride, passOnGrid);
        fit.sumCodes(passCodes, stride, passes, n, passSumQx, passSumQ2);
        float best = 0;
        for (int p = 0; p < passes; p++) {
            float sumqx = passSumQx[p];
            float sumq2 = passSumQ2[p];
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                scale = sumqx / sumq2;
                best = scale * sumqx;
                GridSearch.passLevels(passCodes, stride, p, n, levels, 0);
                System.arraycopy(passOnGrid, p * groups, onGrid, 0, groups);
            }
        }
        return scale;
    }

    /** The passes' levels, then ggml's sequential choice among them (scalar path, IQ3). Returns the kept scale. */
    private float chooseByLevels(int passes, float scale) {
        int groups = n / dims;
        if (dims == 8) {
            grid.snapPasses(passIds, passScales, passes, xval, waux, n, passLevels, passOnGrid);
        } else {
            grid.snapGroupPasses(passIds, passScales, passes, passLevels, passOnGrid);
        }
        float best = 0;
        for (int p = 0; p < passes; p++) {
            fit.sum(passLevels, p * n, n);
            float sumqx = fit.sumQx;
            float sumq2 = fit.sumQ2;
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                scale = sumqx / sumq2;
                best = scale * sumqx;
                System.arraycopy(passLevels, p * n, levels, 0, n);
                System.arraycopy(passOnGrid, p * groups, onGrid, 0, groups);
            }
        }
        return scale;
    }

    /** The refit of the kept levels at {@code scale} and the sign flip; returns the scale, made non-negative. */
    private float refit(float scale) {
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

    /** The grid index of group {@code k} after {@link #fit}. */
    int entry(int k) {
        return grid.entryOf(levels, dims * k);
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
