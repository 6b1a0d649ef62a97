package dev.quant4j.eval.superweight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The spike bookkeeping on hand-made matmuls: largest |output| per layer, and the input channel of that token. */
class SpikeObserverTest {
    @Test
    void keepsTheLargestOutputAndTheInputChannelOfItsToken() {
        SpikeObserver o = new SpikeObserver();
        // two tokens of 3 inputs; token 1's largest |input| is channel 2 (-9)
        o.observe("blk.1.ffn_down.weight", -1, new float[] {5, 1, 0, 1, 2, -9}, 2, 3);
        // two tokens of 2 outputs; the largest |output| is token 1, channel 0 (-40)
        o.produced("blk.1.ffn_down.weight", -1, new float[] {30, 1, -40, 2}, 2, 2);
        // a later call with smaller outputs changes nothing
        o.observe("blk.1.ffn_down.weight", -1, new float[] {100, 0, 0}, 1, 3);
        o.produced("blk.1.ffn_down.weight", -1, new float[] {10, -39}, 1, 2);
        // other weights and experts are ignored
        o.observe("blk.1.ffn_up.weight", -1, new float[] {1000, 0, 0}, 1, 3);
        o.produced("blk.1.ffn_up.weight", -1, new float[] {1000, 0}, 1, 2);
        o.observe("blk.2.ffn_down.weight", 0, new float[] {1000, 0, 0}, 1, 3);
        o.produced("blk.2.ffn_down.weight", 0, new float[] {1000, 0}, 1, 2);

        assertEquals(1, o.spikes().size());
        SpikeObserver.Spike s = o.spikes().get(1);
        assertEquals(new SpikeObserver.Spike("blk.1.ffn_down.weight", 1, 0, -40f, 2, -9f), s);
    }
}
