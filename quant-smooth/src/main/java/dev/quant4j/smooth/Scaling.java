package dev.quant4j.smooth;

import dev.quant4j.api.spi.TransformInput;
import java.util.HashMap;
import java.util.Map;

/** Collects per-tensor column/row factors, input factors and clipping bounds, then yields the lazy output. */
final class Scaling {
    private final Map<String, float[]> cols = new HashMap<>();
    private final Map<String, float[]> rows = new HashMap<>();
    private final Map<String, float[]> inputs = new HashMap<>();
    private final Map<String, Clip> clips = new HashMap<>();

    /**
     * Per-(row, column group) bounds |w| ≤ bound applied after scaling (AWQ clipping; changes the function).
     *
     * @param groupSize columns per group
     * @param bounds    rows × ceil(columns / groupSize) bounds
     */
    record Clip(int groupSize, float[] bounds) {
    }

    void columns(String tensor, float[] s) {
        cols.merge(tensor, s, Scaling::times);
    }

    void rows(String tensor, float[] s) {
        rows.merge(tensor, s, Scaling::times);
    }

    void input(String weight, float[] c) {
        inputs.merge(weight, c, Scaling::times);
    }

    void clip(String weight, Clip clip) {
        clips.put(weight, clip);
    }

    ScaledTensors build(TransformInput in) {
        return new ScaledTensors(in, cols, rows, inputs, clips, UntiedHead.added(in));
    }

    static float[] times(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }
}
