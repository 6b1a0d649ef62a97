package dev.quant4j.kernels.gptq;

import java.util.Arrays;

/**
 * GPTQ (Frantar et al. 2022, the IST-DASLab reference's semantics) adapted to ggml's blocks along the row.
 *
 * <p>{@link #prepare} does the per-tensor work once: dead columns ({@code H_ii = 0}) get {@code H_ii = 1} and
 * their weights zeroed, {@code λ·mean(diag H)} is added to the diagonal, and the upper Cholesky factor
 * {@code U} of {@code H⁻¹} is taken. {@link #sweep} then runs over any subset of rows (rows are independent
 * given {@code U}, so callers parallelise over row ranges): when the sweep reaches a block's first column, the
 * whole block is rounded by the type's own quantizer on the error-updated weights (scales fitted there, exactly
 * as RTN fits them); those rounded values are then fixed, and column by column the error
 * {@code (w_j − q_j) / U_jj} is fed back into the columns not yet reached through row {@code j} of {@code U}
 * — inside the lazy batch at once, past it by one rank-k update per batch. Fixing a block's values at its first
 * column and feeding its columns' errors back one by one is the exact joint (group) OBS update for that block.
 *
 * <p>{@code sweep} rewrites the rows into the weights each block had when it was rounded: quantizing those with
 * the same row-independent quantizer gives exactly the bytes GPTQ chose. With a diagonal {@code H} nothing is
 * fed back and the result equals the input (the bytes equal RTN's).
 */
public final class GptqSolver {
    /** Columns of U per tile of the rank-k update: 128 rows × 512 floats = 256 KiB, reused by every row. */
    private static final int TILE = 512;
    private final int cols;
    private final int unit;
    private final int batch;
    private final float[] u;
    private final float[] diag;
    private final int[] order;
    private final boolean[] dead;
    private final RankUpdate kernel;

    private GptqSolver(int cols, int unit, int batch, float[] u, int[] order, boolean[] dead, RankUpdate kernel) {
        this.kernel = kernel;
        this.cols = cols;
        this.unit = unit;
        this.batch = batch;
        this.u = u;
        this.order = order;
        this.dead = dead;
        this.diag = new float[cols];
        for (int j = 0; j < cols; j++) {
            diag[j] = u[j * cols + j];
        }
    }

    /**
     * Factors {@code h} ({@code cols × cols}, row-major, symmetric; not modified).
     *
     * @param unit the quantizer's block width (32 for legacy types, 256 for K-quants and IQ types)
     * @throws IllegalArgumentException when cols is not a multiple of unit, or H is not positive definite even
     *         after dampening
     */
    public static GptqSolver prepare(double[] h, int cols, int unit, GptqConfig config) {
        if (unit < 1 || cols % unit != 0) {
            throw new IllegalArgumentException(cols + " columns are not a whole number of blocks of " + unit);
        }
        if (h.length != (long) cols * cols) {
            throw new IllegalArgumentException("Hessian has " + h.length + " values, " + cols + "² expected");
        }
        double[] a = h.clone();
        boolean[] dead = new boolean[cols];
        double mean = 0;
        for (int j = 0; j < cols; j++) {
            if (a[j * cols + j] == 0) {
                dead[j] = true;
                a[j * cols + j] = 1;
            }
            mean += a[j * cols + j];
        }
        mean /= cols;
        double damp = config.dampening() * mean;
        for (int j = 0; j < cols; j++) {
            a[j * cols + j] += damp;
        }
        int[] order = blockOrder(a, cols, unit, config.actOrder());
        double[] permuted = permute(a, cols, order);
        double[] up = Cholesky.upperOfInverse(permuted, cols, Runtime.getRuntime().availableProcessors());
        float[] uf = new float[up.length];
        for (int i = 0; i < up.length; i++) {
            uf[i] = (float) up[i];
        }
        int batch = Math.max(unit, (config.lazyBatch() + unit - 1) / unit * unit);
        return new GptqSolver(cols, unit, batch, uf, order, dead, RankUpdate.create());
    }

    /** This solver with another feedback kernel (the scalar oracle in tests and benchmarks). */
    public GptqSolver withKernel(RankUpdate k) {
        return new GptqSolver(cols, unit, batch, u, order, dead, k);
    }

    /** Columns in processing order: identity, or whole blocks by decreasing Σ diag H (act-order). */
    private static int[] blockOrder(double[] a, int cols, int unit, boolean actOrder) {
        int blocks = cols / unit;
        Integer[] b = new Integer[blocks];
        double[] mass = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            b[k] = k;
            for (int j = k * unit; j < (k + 1) * unit; j++) {
                mass[k] += a[j * cols + j];
            }
        }
        if (actOrder) {
            Arrays.sort(b, (x, y) -> Double.compare(mass[y], mass[x]));
        }
        int[] order = new int[cols];
        for (int k = 0; k < blocks; k++) {
            for (int i = 0; i < unit; i++) {
                order[k * unit + i] = b[k] * unit + i;
            }
        }
        return order;
    }

    private static double[] permute(double[] a, int n, int[] order) {
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = a[order[i] * n + order[j]];
            }
        }
        return p;
    }

    public int columns() {
        return cols;
    }

    public int unit() {
        return unit;
    }

    /**
     * Runs the sweep over {@code rows} rows of {@code w} ({@code rows × cols}, row-major, original column order)
     * and rewrites them in place into the weights each block had when it was rounded (dead columns zero).
     */
    public void sweep(float[] w, int rows, BlockRounder rounder) {
        if (w.length < (long) rows * cols) {
            throw new IllegalArgumentException(w.length + " values for " + rows + " rows of " + cols);
        }
        float[] work = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < cols; p++) {
                int j = order[p];
                work[r * cols + p] = dead[j] ? 0f : w[r * cols + j];
            }
        }
        float[] block = new float[rows * unit];
        float[] q = new float[rows * unit];
        float[] err = new float[rows * batch];
        for (int i1 = 0; i1 < cols; i1 += batch) {
            int i2 = Math.min(cols, i1 + batch);
            for (int b0 = i1; b0 < i2; b0 += unit) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(work, r * cols + b0, block, r * unit, unit);
                    System.arraycopy(block, r * unit, w, r * cols + order[b0], unit);
                }
                rounder.round(block, rows, unit, order[b0], q);
                for (int r = 0; r < rows; r++) {
                    feedBackInBatch(work, r * cols, q, r * unit, err, r * batch, b0, i1, i2);
                }
            }
            // W[:, i2:] -= Err · U[i1:i2, i2:], by column tiles so a tile of U stays in cache across the rows
            for (int c0 = i2; c0 < cols; c0 += TILE) {
                int n = Math.min(TILE, cols - c0);
                for (int r = 0; r < rows; r++) {
                    kernel.update(work, r * cols + c0, err, r * batch, i2 - i1, u, i1 * cols + c0, cols, n);
                }
            }
        }
    }

    /** Columns {@code b0 .. b0+unit} of one row: errors against the fixed values, fed to the batch's later columns. */
    private void feedBackInBatch(float[] work, int row, float[] q, int qRow, float[] err, int eRow, int b0, int i1,
                                 int i2) {
        for (int j = b0; j < b0 + unit; j++) {
            float e = (work[row + j] - q[qRow + j - b0]) / diag[j];
            err[eRow + j - i1] = e;
            if (e != 0f) {
                kernel.update(work, row + j + 1, err, eRow + j - i1, 1, u, j * cols + j + 1, cols, i2 - j - 1);
            }
        }
    }
}
