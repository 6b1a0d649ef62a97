package dev.quant4j.eval.model;

import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.List;

/** The tensor list of a TinyLlama-1.1B-shaped model (dim 2048, ffn 5632, 4 KV heads of 64, vocab 32000), F16. */
public final class TinyLlamaShapes {
    private TinyLlamaShapes() {
    }

    public static List<TensorInfo> tensors(int layers) {
        List<TensorInfo> t = new ArrayList<>();
        t.add(info("token_embd.weight", 2048, 32000));
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            t.add(info(b + "attn_norm.weight", 2048));
            t.add(info(b + "attn_q.weight", 2048, 2048));
            t.add(info(b + "attn_k.weight", 2048, 256));
            t.add(info(b + "attn_v.weight", 2048, 256));
            t.add(info(b + "attn_output.weight", 2048, 2048));
            t.add(info(b + "ffn_gate.weight", 2048, 5632));
            t.add(info(b + "ffn_down.weight", 5632, 2048));
            t.add(info(b + "ffn_up.weight", 2048, 5632));
        }
        t.add(info("output.weight", 2048, 32000));
        return t;
    }

    public static TensorInfo info(String name, long... ne) {
        Shape s = Shape.of(ne);
        return new TensorInfo(name, DType.F16, s, 0, TensorInfo.byteSize(DType.F16, s));
    }
}
