package dev.quant4j.eval.superweight;

import dev.quant4j.eval.model.ActivationObserver;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records, for every dense {@code blk.N.ffn_down.weight}, the largest |output| seen over all tokens (the spike), its
 * output channel, and the input channel with the largest |input| on that same token. One instance per run; the
 * forward pass calls it on one thread at a time.
 */
final class SpikeObserver implements ActivationObserver {
    private static final Pattern DOWN = Pattern.compile("^blk\\.(\\d+)\\.ffn_down\\.weight$");

    /** The largest output of one layer's ffn_down and the input that came with it. */
    record Spike(String tensor, int layer, int outChannel, float output, int inChannel, float input) {
    }

    private final Map<Integer, Spike> spikes = new TreeMap<>();
    private int[] inArgmax = new int[0];
    private float[] inMax = new float[0];

    @Override
    public void observe(String weight, int expert, float[] rows, int tokens, int width) {
        if (expert >= 0 || !DOWN.matcher(weight).matches()) {
            return;
        }
        if (inArgmax.length < tokens) {
            inArgmax = new int[tokens];
            inMax = new float[tokens];
        }
        for (int t = 0; t < tokens; t++) {
            int arg = 0;
            float max = -1;
            for (int j = 0, o = t * width; j < width; j++) {
                float a = Math.abs(rows[o + j]);
                if (a > max) {
                    max = a;
                    arg = j;
                }
            }
            inArgmax[t] = arg;
            inMax[t] = rows[t * width + arg];
        }
    }

    @Override
    public void produced(String weight, int expert, float[] out, int tokens, int width) {
        Matcher m = DOWN.matcher(weight);
        if (expert >= 0 || !m.matches()) {
            return;
        }
        int layer = Integer.parseInt(m.group(1));
        Spike best = spikes.get(layer);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0, o = t * width; r < width; r++) {
                float v = out[o + r];
                if (best == null || Math.abs(v) > Math.abs(best.output())) {
                    best = new Spike(weight, layer, r, v, inArgmax[t], inMax[t]);
                }
            }
        }
        spikes.put(layer, best);
    }

    /** One spike per layer, by layer. */
    Map<Integer, Spike> spikes() {
        return spikes;
    }
}
