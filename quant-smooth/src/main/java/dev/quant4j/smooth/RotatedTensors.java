package dev.quant4j.smooth;

import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/** The tensors of a rotated model, each computed (as F32) only when asked. */
final class RotatedTensors implements TransformOutput {
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int ROWS_PER_TASK = 64;

    private final TransformInput input;
    private final Map<String, ResidualRoles.Role> roles;
    private final Rotation q;
    private final List<Added> added;

    RotatedTensors(TransformInput input, Map<String, ResidualRoles.Role> roles, Rotation q, List<Added> added) {
        this.input = input;
        this.roles = Map.copyOf(roles);
        this.q = q;
        this.added = List.copyOf(added);
    }

    @Override
    public Set<String> replaced() {
        Set<String> names = new TreeSet<>(roles.keySet());
        added.forEach(a -> names.remove(a.name()));
        return names;
    }

    @Override
    public List<Added> added() {
        return added;
    }

    /** The readers: their input is now Qᵀ x, so per-channel statistics and imatrices collected before are stale. */
    @Override
    public Set<String> mixedInputs() {
        Set<String> names = new TreeSet<>();
        roles.forEach((name, role) -> {
            if (role instanceof ResidualRoles.Reader) {
                names.add(name);
            }
        });
        return names;
    }

    @Override
    public TensorView tensor(String name) {
        ResidualRoles.Role role = roles.get(name);
        if (role == null) {
            throw new IllegalArgumentException("tensor '" + name + "' is not replaced by this transform");
        }
        boolean untied = added.stream().anyMatch(a -> a.name().equals(name));
        TensorView src = input.view(untied ? Rotate.EMBEDDING : name);
        return switch (role) {
            case ResidualRoles.Embedding e -> rows(name, src, null);
            case ResidualRoles.Reader r -> rows(name, src, r.norm() == null ? null : gains(r.norm()));
            case ResidualRoles.WriterBias b -> rows(name, src, null); // one row of width channels
            case ResidualRoles.Writer w -> columns(name, src, w.width());
            case ResidualRoles.Norm n -> ones(name, src.shape());
        };
    }

    private float[] gains(String norm) {
        TensorView v = input.view(norm);
        float[] g = new float[Math.toIntExact(v.shape().elementCount())];
        v.readRow(0, g, 0);
        return g;
    }

    /** Each row r ← (r ⊙ g)·Q, i.e. Qᵀ(g ⊙ r), in parallel over blocks of rows. */
    private TensorView rows(String name, TensorView src, float[] g) {
        int n = Math.toIntExact(src.rowLength());
        long rows = src.rows();
        MemorySegment out = Arena.ofAuto().allocate(4L * n * rows, 4);
        int tasks = Math.toIntExact((rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK);
        IntStream.range(0, tasks).parallel().forEach(t -> {
            float[] buf = new float[n];
            for (long r = (long) t * ROWS_PER_TASK; r < Math.min(rows, (long) (t + 1) * ROWS_PER_TASK); r++) {
                src.readRow(r, buf, 0);
                if (g != null) {
                    for (int c = 0; c < n; c++) {
                        buf[c] *= g[c];
                    }
                }
                q.applyTransposed(buf, 0);
                MemorySegment.copy(buf, 0, out, F32, 4L * n * r, n);
            }
        });
        return new TensorView(name, DType.F32, src.shape(), out);
    }

    /** W ← Qᵀ W for each slab of {@code width} rows (one per expert): every column rotated. */
    private TensorView columns(String name, TensorView src, int width) {
        int cols = Math.toIntExact(src.rowLength());
        long slabs = src.rows() / width;
        MemorySegment out = Arena.ofAuto().allocate(4L * cols * src.rows(), 4);
        float[] slab = new float[Math.multiplyExact(width, cols)];
        float[] transposed = new float[slab.length];
        for (long s = 0; s < slabs; s++) {
            for (int r = 0; r < width; r++) {
                src.readRow(s * width + r, slab, r * cols);
            }
            for (int r = 0; r < width; r++) {
                for (int c = 0; c < cols; c++) {
                    transposed[c * width + r] = slab[r * cols + c];
                }
            }
            IntStream.range(0, cols).parallel().forEach(c -> q.applyTransposed(transposed, c * width));
            for (int r = 0; r < width; r++) {
                for (int c = 0; c < cols; c++) {
                    slab[r * cols + c] = transposed[c * width + r];
                }
            }
            MemorySegment.copy(slab, 0, out, F32, 4L * slab.length * s, slab.length);
        }
        return new TensorView(name, DType.F32, src.shape(), out);
    }

    private static TensorView ones(String name, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.elementCount())];
        java.util.Arrays.fill(v, 1f);
        return TensorView.ofFloats(name, shape, v);
    }
}
