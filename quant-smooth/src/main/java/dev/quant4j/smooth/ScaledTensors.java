package dev.quant4j.smooth;

import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tensors rewritten as W'[r][c] = W[r][c] · col[c] · row[r] (1-D tensors: v'[i] = v[i] · col[i]), optionally
 * clipped per (row, column group), computed one tensor at a time into an auto-managed F32 segment when asked.
 * A 3-D expert tensor's column factors are one vector for all experts or one per expert, in order.
 */
final class ScaledTensors implements TransformOutput {
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final TransformInput input;
    private final Map<String, float[]> columnScales;
    private final Map<String, float[]> rowScales;
    private final Map<String, float[]> inputScales;
    private final Map<String, Scaling.Clip> clips;
    private final List<Added> added;

    ScaledTensors(TransformInput input, Map<String, float[]> columnScales, Map<String, float[]> rowScales,
                  Map<String, float[]> inputScales, Map<String, Scaling.Clip> clips, List<Added> added) {
        this.input = input;
        this.added = List.copyOf(added);
        this.clips = Map.copyOf(clips);
        this.columnScales = Map.copyOf(columnScales);
        this.rowScales = Map.copyOf(rowScales);
        this.inputScales = Map.copyOf(inputScales);
    }

    /** Every tensor this output computes: replaced ones and added ones that some factor or clip touches. */
    Set<String> changed() {
        Set<String> names = new TreeSet<>(columnScales.keySet());
        names.addAll(rowScales.keySet());
        names.addAll(clips.keySet());
        return names;
    }

    @Override
    public Set<String> replaced() {
        Set<String> names = changed();
        added.forEach(a -> names.remove(a.name()));
        return names;
    }

    /** The untied head, when it was scaled (else the model keeps its tied head). */
    @Override
    public List<Added> added() {
        Set<String> changed = changed();
        return added.stream().filter(a -> changed.contains(a.name())).toList();
    }

    @Override
    public TensorView tensor(String name) {
        if (!changed().contains(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' is not replaced by this transform");
        }
        TensorView src = input.view(name);
        int n = Math.toIntExact(src.rowLength());
        long rows = src.rows();
        float[] col = columnScales.get(name);
        float[] row = rowScales.get(name);
        Scaling.Clip clip = clips.get(name);
        int groups = clip == null ? 0 : (n + clip.groupSize() - 1) / clip.groupSize();
        MemorySegment out = Arena.ofAuto().allocate(4L * n * rows, 4);
        float[] buf = new float[n];
        long rowsPerBlock = col == null ? rows : rows / (col.length / n); // rows sharing one column vector
        for (long r = 0; r < rows; r++) {
            src.readRow(r, buf, 0);
            float rs = row == null ? 1f : row[Math.toIntExact(r)];
            int colBase = col == null ? 0 : Math.toIntExact(r / rowsPerBlock * n);
            for (int c = 0; c < n; c++) {
                float v = buf[c] * rs;
                buf[c] = col == null ? v : v * col[colBase + c];
            }
            if (clip != null) {
                for (int c = 0; c < n; c++) {
                    float b = clip.bounds()[Math.toIntExact(r * groups + c / clip.groupSize())];
                    buf[c] = Math.clamp(buf[c], -b, b);
                }
            }
            MemorySegment.copy(buf, 0, out, F32, 4L * n * r, n);
        }
        return new TensorView(name, dev.quant4j.api.tensor.DType.F32, src.shape(), out);
    }

    @Override
    public Optional<float[]> inputScale(String name) {
        float[] c = inputScales.get(name);
        return c == null ? Optional.empty() : Optional.of(c.clone());
    }
}
