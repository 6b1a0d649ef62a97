package dev.quant4j.eval.transform;

import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ActivationObserver;
import dev.quant4j.kernels.gptq.HessianAccumulator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects per-input-channel max |x| and mean x² of every dense weight's input, and optionally the mean of
 * x xᵀ (columns² × 8 bytes per weight while collecting). Experts are skipped: no transform handles
 * mixture-of-experts. Observations arrive on the forward pass's calling thread in graph order, so the
 * sums are formed in the same order every run.
 */
public final class ChannelStatsObserver implements ActivationObserver {
    private static final class Acc {
        final float[] absMax;
        final double[] sumSq;
        final HessianAccumulator moments;
        long count;

        Acc(int width, boolean secondMoments) {
            absMax = new float[width];
            sumSq = new double[width];
            moments = secondMoments ? new HessianAccumulator(width) : null;
        }
    }

    private final boolean secondMoments;
    private final Map<String, Acc> accs = new LinkedHashMap<>();

    /** Maxima and mean squares only. */
    public ChannelStatsObserver() {
        this(false);
    }

    /** @param secondMoments also accumulate the mean of x xᵀ per weight */
    public ChannelStatsObserver(boolean secondMoments) {
        this.secondMoments = secondMoments;
    }

    @Override
    public synchronized void observe(String weight, int expert, float[] rows, int tokens, int width) {
        if (expert >= 0) {
            return;
        }
        Acc a = accs.computeIfAbsent(weight, w -> new Acc(width, secondMoments));
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
        if (a.moments != null) {
            a.moments.add(rows, tokens);
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
            float[] mom = new float[0];
            if (a.moments != null) {
                double[] h = a.moments.hessian(); // (2/n) Σ x xᵀ
                mom = new float[h.length];
                for (int i = 0; i < h.length; i++) {
                    mom[i] = (float) (0.5 * h[i]);
                }
            }
            out.put(name, new ChannelStats(name, a.count, a.absMax, ms, mom));
        });
        return out;
    }
}
