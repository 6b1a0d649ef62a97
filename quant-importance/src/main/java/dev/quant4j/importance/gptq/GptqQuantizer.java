package dev.quant4j.importance.gptq;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.TensorView;
import dev.quant4j.kernels.gptq.GptqConfig;
import dev.quant4j.kernels.gptq.GptqSolver;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPTQ in front of a row-independent ggml quantizer. Given the factor of a tensor's Hessian every row is swept
 * alone, so this quantizer is row-independent too: a row range is read, swept ({@link GptqSolver}: each block
 * rounded by the inner quantizer when the sweep reaches its first column, its error fed forward), and the swept
 * rows — the weights each block had when it was rounded — are written by the inner quantizer, which therefore
 * writes exactly the bytes GPTQ chose. Encoding, sizes and dequantization are the inner quantizer's.
 *
 * <p>A MoE tensor's rows of expert {@code e} use that expert's Hessian; a tensor or expert without one (not in
 * the file, or no tokens) is written by the inner quantizer alone (RTN). The per-tensor factorisation is
 * memoised ({@link FactorCache}) so the row chunks of one tensor share it.
 */
final class GptqQuantizer implements Quantizer {
    private static final Logger LOG = LoggerFactory.getLogger(GptqQuantizer.class);

    private final Quantizer inner;
    private final FactorCache factors;

    GptqQuantizer(Quantizer inner, int unit, Path hessians, GptqConfig config) {
        this.inner = inner;
        this.factors = new FactorCache(hessians, unit, config);
    }

    @Override
    public TensorEncoding encoding() {
        return inner.encoding();
    }

    @Override
    public int scaleGroup() {
        return inner.scaleGroup();
    }

    @Override
    public long encodedBytes(String tensor, Shape shape) {
        return inner.encodedBytes(tensor, shape);
    }

    @Override
    public void dequantize(MemorySegment encoded, Shape shape, long firstRow, long rowCount, float[] dst) {
        inner.dequantize(encoded, shape, firstRow, rowCount, dst);
    }

    @Override
    public void quantize(TensorView src, long firstRow, long rowCount, float[] importance, MemorySegment dst) {
        long rowBytes = inner.encodedBytes(src.name(), src.shape()) / src.rows();
        FactorCache.Layout layout = factors.layout(src);
        long r = firstRow;
        long end = firstRow + rowCount;
        while (r < end) {
            int expert = layout.expertOf(r);
            long stop = Math.min(end, layout.endOf(expert));
            MemorySegment out = dst.asSlice((r - firstRow) * rowBytes, (stop - r) * rowBytes);
            GptqSolver solver = layout.covered() ? factors.solver(src, expert) : null;
            if (solver == null) {
                inner.quantize(src, r, stop - r, importance, out);
            } else {
                quantizeSwept(solver, src, r, Math.toIntExact(stop - r), importance, out);
            }
            r = stop;
        }
    }

    private void quantizeSwept(GptqSolver solver, TensorView src, long first, int rows, float[] importance,
                               MemorySegment out) {
        int cols = Math.toIntExact(src.rowLength());
        float[] w = new float[Math.multiplyExact(rows, cols)];
        src.readRows(first, rows, w, 0);
        solver.sweep(w, rows, BlockRounding.through(inner, src.name(), importance));
        inner.quantize(TensorView.ofFloats(src.name(), Shape.of(cols, rows), w), 0, rows, importance, out);
    }

    static void log(String tensor, String why) {
        LOG.debug("gptq: {} as RTN ({})", tensor, why);
    }

    static QuantException mismatch(String tensor, Path file, int hessianCols, long cols) {
        return new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + tensor + "': the Hessian in " + file + " is for "
                + hessianCols + " columns, the tensor has " + cols + "; the statistics were made for another model");
    }
}
