package dev.quant4j.eval.imatrix;

import java.util.Objects;

/**
 * llama-imatrix's choice of what to collect (its {@code collect_imatrix(ask = true)}): every MoE matmul; a dense
 * matmul only when the weight's name starts with {@code blk.} (or is {@code output.weight} with
 * {@code --process-output}) and the batch has at least 16 rows — smaller batches are ignored, as upstream does.
 */
public final class ImatrixCollector implements ActivationSink {
    /** llama-imatrix ignores dense batches of fewer rows. */
    public static final int MIN_ROWS = 16;

    private final Imatrix imatrix;
    private final boolean processOutput;

    public ImatrixCollector(Imatrix imatrix, boolean processOutput) {
        this.imatrix = Objects.requireNonNull(imatrix);
        this.processOutput = processOutput;
    }

    /** Whether a dense matmul with this weight and batch size is collected. */
    public boolean wants(String weight, int rows) {
        return rows >= MIN_ROWS && collects(weight);
    }

    /**
     * Whether matmuls with this weight are collected at any batch size: every {@code blk.} weight (the MoE weights
     * are all {@code blk.}), and {@code output.weight} with {@code --process-output}.
     */
    @Override
    public boolean collects(String weight) {
        return weight.startsWith("blk.") || processOutput && weight.equals("output.weight");
    }

    /** Whether {@code output.weight} is collected ({@code --process-output}): its input is then needed for every row. */
    public boolean collectsOutput() {
        return processOutput;
    }

    @Override
    public void dense(String weight, float[] x, int rows, int cols) {
        if (wants(weight, rows)) {
            imatrix.addDense(weight, x, rows, cols);
        }
    }

    @Override
    public void routed(String weight, int nExpert, float[] x, int nTokens, int xSlots, int cols, int[] ids, int nUsed) {
        imatrix.addRouted(weight, nExpert, x, nTokens, xSlots, cols, ids, nUsed);
    }

    public Imatrix imatrix() {
        return imatrix;
    }
}
