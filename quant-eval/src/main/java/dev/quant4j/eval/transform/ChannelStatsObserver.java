package dev.quant4j.eval.transform;

import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ActivationObserver;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects per-input-channel max |x| and mean x² of every dense weight's input (experts are skipped: no
 * transform handles mixture-of-experts yet).
 */
public final class ChannelStatsObserver implements ActivationObserver {
    private static final class Acc {
        final float[] absMax;
        final double[] sumSq;
        long count;

        Acc(int width) {
            absMax = new float[width];
            sumSq = new double[width];
        }
    }

    private final Map<String, Acc> accs = new HashMap<>();

    @Override
    public synchronized void observe(String weight, int expert, float[] rows, int tokens, int width) {
        if (expert >= 0) {
            return;
        }
        Acc a = accs.computeIfAbsent(weight, w -> new Acc(width));
        if (a.absMax.length != width) {
            throw new IllegalStateException("weight '" + weight + "': input width " + width + " after "
                    + a.absMax.length);
        }
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            for (int j = 0; j < width; j++) {
                float x = rows[base + j];
                a.absMax[j] = Math.max(a.absMax[j], Math.abs(x));
                a.sumSq[j] += (double) x * x;
            }
        }
        a.count += tokens;
    }

    /** The statistics so far, by weight name. */
    public synchronized Map<String, ChannelStats> stats() {
        Map<String, ChannelStats> out = new LinkedHashMap<>();
        accs.forEach((name, a) -> {
            float[] ms = new float[a.sumSq.length];
            for (int j = 0; j < ms.length; j++) {
                ms[j] = a.count == 0 ? 0f : (float) (a.sumSq[j] / a.count);
            }
            out.put(name, new ChannelStats(name, a.count, a.absMax, ms));
        });
        return out;
    }
}
