package dev.quant4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.CalibratorProvider;
import dev.quant4j.api.spi.ModelOpener;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance of a {@link CalibratorProvider}. A plugin's test is three lines:
 *
 * <pre>{@code
 * class MeanSquaresCalibratorTest extends CalibratorProviderTestCase {
 *     @Override protected CalibratorProvider<?> provider() { return new MeanSquaresCalibratorProvider(); }
 * }
 * }</pre>
 *
 * A calibrator that only imports files overrides {@link #observes()} to false and gives a sample file through
 * {@link #sampleStatisticsFile(Path)}.
 */
public abstract class CalibratorProviderTestCase extends ProviderTestCase<CalibratorProvider<?>> {
    /** Two weight tensors the kit observes activations for. */
    protected static final String TENSOR_A = "blk.0.attn_q.weight";
    protected static final String TENSOR_B = "blk.0.ffn_down.weight";
    private static final int COLUMNS_A = 64;
    private static final int COLUMNS_B = 128;

    @Override
    final ProviderKind expectedKind() {
        return ProviderKind.CALIBRATOR;
    }

    /** False for calibrators that only import statistics files; the observing checks are then skipped. */
    protected boolean observes() {
        return true;
    }

    /**
     * True (default) when finished statistics hold the mean of the squared activations per column, as
     * {@link TensorActivationStats} defines; the kit then compares them with the exact means.
     */
    protected boolean reportsMeanSquares() {
        return true;
    }

    /** A statistics file this calibrator imports, written into {@code dir}; null (default) skips the import check. */
    protected Path sampleStatisticsFile(Path dir) throws IOException {
        return null;
    }

    /** How imported model containers are opened: by default through the formats the registry finds. */
    protected ModelOpener modelOpener() {
        QuantRegistry registry = QuantRegistry.load(getClass().getClassLoader());
        return file -> registry.formatFor(file)
                .orElseThrow(() -> new IOException(file + ": no installed format reads it"))
                .open(file);
    }

    /** A calibrator configured with {@link #options()}. */
    protected final Calibrator calibrator() {
        return create(provider(), options());
    }

    private static <O extends Record> Calibrator create(CalibratorProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }

    /** Activations: {@code tokens} rows of {@code columns} values. */
    protected TensorView sampleActivations(int columns, int tokens, long seed) {
        Shape s = Shape.of(columns, tokens);
        return TensorView.ofFloats("activations", s, Samples.weights(s, seed));
    }

    /**
     * After observing two tensors (one of them in two batches), the statistics cover both, with the weight's
     * row length as columns, one slice, the number of activation rows seen and the mean squares per column.
     */
    @Test
    public final void statisticsCoverObservedTensors() {
        Assumptions.assumeTrue(observes(), "imports files only");
        Calibrator c = calibrator();
        TensorView a = sampleActivations(COLUMNS_A, 16, 1);
        TensorView b1 = sampleActivations(COLUMNS_B, 8, 2);
        TensorView b2 = sampleActivations(COLUMNS_B, 8, 3);
        c.observe(TENSOR_A, a);
        c.observe(TENSOR_B, b1);
        c.observe(TENSOR_B, b2);
        CalibrationStats stats = c.finish();
        assertNotNull(stats, "finish() returned null");
        checkTensor(stats, TENSOR_A, COLUMNS_A, 16, meanSquares(a));
        double[] sb1 = meanSquares(b1);
        double[] sb2 = meanSquares(b2);
        double[] sb = new double[COLUMNS_B];
        for (int i = 0; i < COLUMNS_B; i++) {
            sb[i] = (sb1[i] + sb2[i]) / 2;
        }
        checkTensor(stats, TENSOR_B, COLUMNS_B, 16, sb);
    }

    private void checkTensor(CalibrationStats stats, String tensor, int columns, long count, double[] expected) {
        TensorActivationStats t = stats.forTensor(tensor).orElseThrow(() -> new AssertionError(
                "no statistics for observed tensor '" + tensor + "'; have " + stats.tensors().keySet()));
        assertEquals(columns, t.columns(), tensor + ": columns");
        assertEquals(1, t.slices(), tensor + ": slices of a dense tensor");
        assertEquals(count, t.count(), tensor + ": count of activation rows observed");
        float[] got = t.slice(0);
        for (int i = 0; i < columns; i++) {
            if (!Float.isFinite(got[i]) || got[i] < 0) {
                fail(tensor + ": column " + i + " has statistic " + got[i] + "; mean squares are finite and >= 0");
            }
            if (reportsMeanSquares() && Math.abs(got[i] - expected[i]) > 1e-4 * expected[i] + 1e-12) {
                fail(tensor + ": column " + i + " mean square " + got[i] + ", expected " + expected[i]);
            }
        }
    }

    private static double[] meanSquares(TensorView v) {
        int n = Math.toIntExact(v.rowLength());
        double[] sum = new double[n];
        float[] row = new float[n];
        for (long r = 0; r < v.rows(); r++) {
            v.readRow(r, row, 0);
            for (int i = 0; i < n; i++) {
                sum[i] += (double) row[i] * row[i];
            }
        }
        for (int i = 0; i < n; i++) {
            sum[i] /= v.rows();
        }
        return sum;
    }

    /**
     * finish() returns a snapshot: observing more afterwards changes neither the statistics already returned
     * nor stops the calibrator, whose next finish() includes the new rows.
     */
    @Test
    public final void finishIsASnapshot() {
        Assumptions.assumeTrue(observes(), "imports files only");
        Calibrator c = calibrator();
        c.observe(TENSOR_A, sampleActivations(COLUMNS_A, 8, 4));
        CalibrationStats first = c.finish();
        TensorActivationStats a = first.forTensor(TENSOR_A).orElseThrow(
                () -> new AssertionError("no statistics for observed tensor '" + TENSOR_A + "'"));
        float[] before = a.slice(0);
        long countBefore = a.count();
        c.observe(TENSOR_A, sampleActivations(COLUMNS_A, 8, 5));
        c.observe(TENSOR_B, sampleActivations(COLUMNS_B, 8, 6));
        assertTrue(Arrays.equals(before, a.slice(0)), "statistics returned by finish() changed when the calibrator "
                + "observed more; finish() must return an immutable snapshot");
        assertEquals(countBefore, a.count(), "the returned count changed");
        assertTrue(first.forTensor(TENSOR_B).isEmpty(), "a tensor observed after finish() appeared in its result");
        CalibrationStats second = c.finish();
        assertEquals(countBefore + 8, second.forTensor(TENSOR_A).orElseThrow().count(),
                "observing after finish() must go on accumulating");
        assertTrue(second.forTensor(TENSOR_B).isPresent(), "a tensor observed after the first finish() is missing");
    }

    /** Two calibrators observing the same batches finish with identical statistics. */
    @Test
    public final void deterministic() {
        Assumptions.assumeTrue(observes(), "imports files only");
        CalibrationStats[] runs = new CalibrationStats[2];
        for (int k = 0; k < 2; k++) {
            Calibrator c = calibrator();
            c.observe(TENSOR_A, sampleActivations(COLUMNS_A, 8, 7));
            c.observe(TENSOR_B, sampleActivations(COLUMNS_B, 8, 8));
            c.observe(TENSOR_A, sampleActivations(COLUMNS_A, 8, 9));
            runs[k] = c.finish();
        }
        assertEquals(runs[0].tensors().keySet(), runs[1].tensors().keySet(), "tensors differ between runs");
        for (String t : runs[0].tensors().keySet()) {
            TensorActivationStats x = runs[0].tensors().get(t);
            TensorActivationStats y = runs[1].tensors().get(t);
            assertEquals(x.count(), y.count(), t + ": count differs between runs");
            assertTrue(Arrays.equals(x.meanSquares().toArray(ValueLayout.JAVA_BYTE),
                    y.meanSquares().toArray(ValueLayout.JAVA_BYTE)), t + ": statistics differ between runs");
        }
    }

    /** Observing leaves the activation bytes unchanged. */
    @Test
    public final void activationsUntouched() {
        Assumptions.assumeTrue(observes(), "imports files only");
        Shape s = Shape.of(COLUMNS_A, 8);
        byte[] bytes = Samples.encode(DType.F32, Samples.weights(s, 10));
        byte[] copy = bytes.clone();
        calibrator().observe(TENSOR_A, Samples.view("activations", DType.F32, s, bytes));
        assertTrue(Arrays.equals(copy, bytes), "observe changed the activations it was given");
    }

    /** A tensor observed with another row length than before is refused, naming the tensor. */
    @Test
    public final void changingRowLengthRejectedNamingTensor() {
        Assumptions.assumeTrue(observes(), "imports files only");
        Calibrator c = calibrator();
        c.observe(TENSOR_A, sampleActivations(COLUMNS_A, 4, 11));
        try {
            c.observe(TENSOR_A, sampleActivations(COLUMNS_A / 2, 4, 12));
        } catch (QuantException | IllegalArgumentException e) {
            assertTrue(String.valueOf(e.getMessage()).contains(TENSOR_A), "the error must name tensor '" + TENSOR_A
                    + "': " + e.getMessage());
            return;
        }
        fail("tensor '" + TENSOR_A + "' was observed with " + COLUMNS_A + " then " + COLUMNS_A / 2
                + " columns without an error");
    }

    /** An imported statistics file gives well-formed statistics. */
    @Test
    public final void importedStatisticsWellFormed(@TempDir Path dir) throws IOException {
        Path file = sampleStatisticsFile(dir);
        Assumptions.assumeTrue(file != null, "no sample statistics file given");
        CalibrationStats stats = calibrator().importFile(file, modelOpener());
        assertTrue(stats != null && !stats.tensors().isEmpty(), file + " imported as no statistics");
        for (TensorActivationStats t : stats.tensors().values()) {
            for (int s = 0; s < t.slices(); s++) {
                float[] v = t.slice(s);
                for (int i = 0; i < v.length; i++) {
                    if (!Float.isFinite(v[i]) || v[i] < 0) {
                        fail(t.tensor() + ": slice " + s + ", column " + i + " imported as " + v[i]);
                    }
                }
            }
        }
    }
}
