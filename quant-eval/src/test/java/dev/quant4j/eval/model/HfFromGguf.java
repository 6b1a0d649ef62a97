package dev.quant4j.eval.model;

import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test helper, independent of the reader under test: writes the Hugging Face checkpoint that a GGUF model of the
 * llama family came from — the inverse of convert_hf_to_gguf.py, written from its rules: GGUF names back to HF
 * names (Mixtral's {@code block_sparse_moe.experts.E.w1/w2/w3}, Qwen-MoE's {@code mlp.experts.E.*_proj}), merged
 * experts split into one matrix each, llama's Q/K rows un-permuted to rotate-half order, HF shapes = ggml ne
 * reversed, a safetensors file as the safetensors library writes it, and a config.json from the GGUF metadata.
 */
final class HfFromGguf {
    private HfFromGguf() {
    }

    /** The HF architecture of a synthetic reference model: class name and model_type. */
    enum Kind {
        QWEN2("Qwen2ForCausalLM", "qwen2"), QWEN3("Qwen3ForCausalLM", "qwen3"),
        MIXTRAL("MixtralForCausalLM", "mixtral"), QWEN3MOE("Qwen3MoeForCausalLM", "qwen3_moe"),
        /** Qwen2-MoE: the qwen3moe reference's tensors plus a shared expert per layer (see {@link #write}). */
        QWEN2MOE("Qwen2MoeForCausalLM", "qwen2_moe");

        final String hfClass;
        final String modelType;

        Kind(String hfClass, String modelType) {
            this.hfClass = hfClass;
            this.modelType = modelType;
        }
    }

    static void write(ModelReader gguf, Kind kind, Path dir, Path tokenizerModel) throws IOException {
        write(gguf, kind, dir, tokenizerModel, false);
    }

    /**
     * As {@link #write(ModelReader, Kind, Path, Path)}; {@code fused}: Qwen-MoE experts stored as transformers 5 stores
     * them, {@code mlp.experts.gate_up_proj} {@code [n_expert, 2·n_ff, n_embd]} (each expert's gate rows, then its
     * up rows) and {@code mlp.experts.down_proj} {@code [n_expert, n_embd, n_ff]}. For {@link Kind#QWEN2MOE} each
     * layer also gets a shared expert — {@code mlp.shared_expert.{gate,up,down}_proj} = expert 0's matrices and
     * {@code mlp.shared_expert_gate} {@code [1, n_embd]} F32 = router row 0 — so the expected GGUF tensors are
     * known: {@code ffn_*_shexp} = slice 0 of {@code ffn_*_exps}, {@code ffn_gate_inp_shexp} = row 0 of
     * {@code ffn_gate_inp}.
     */
    static void write(ModelReader gguf, Kind kind, Path dir, Path tokenizerModel, boolean fused) throws IOException {
        Files.createDirectories(dir);
        Metadata m = gguf.metadata();
        String a = m.getString("general.architecture").orElseThrow();
        Map<String, byte[]> tensors = new TreeMap<>();
        Map<String, String> dtypes = new TreeMap<>();
        Map<String, long[]> shapes = new TreeMap<>();
        int heads = (int) (long) m.getLong(a + ".attention.head_count").orElseThrow();
        int kvHeads = (int) (long) m.getLong(a + ".attention.head_count_kv").orElseThrow();
        for (TensorInfo t : gguf.tensors()) {
            byte[] bytes = gguf.view(t).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            String dtype = t.type() == DType.F16 ? "F16" : t.type() == DType.F32 ? "F32" : null;
            if (dtype == null) {
                throw new IllegalArgumentException(t.name() + " is " + t.type());
            }
            String[] p = t.name().split("\\.");
            if (t.shape().rank() == 3) { // merged experts: one HF matrix per slice ne2 = e
                long ne0 = t.shape().ne(0);
                long ne1 = t.shape().ne(1);
                int experts = (int) t.shape().ne(2);
                long slice = bytes.length / experts;
                if (kind == Kind.QWEN2MOE) {
                    String shared = "model.layers." + p[1] + ".mlp.shared_expert." + p[2].substring(4, p[2].length() - 5) + "_proj.weight";
                    tensors.put(shared, java.util.Arrays.copyOfRange(bytes, 0, (int) slice));
                    dtypes.put(shared, dtype);
                    shapes.put(shared, new long[] {ne1, ne0});
                }
                if (fused) {
                    fuse(tensors, dtypes, shapes, p[1], p[2], bytes, dtype, new long[] {experts, ne1, ne0});
                    continue;
                }
                for (int e = 0; e < experts; e++) {
                    String name = expertName(kind, p[1], p[2], e);
                    tensors.put(name, java.util.Arrays.copyOfRange(bytes, (int) (e * slice), (int) ((e + 1) * slice)));
                    dtypes.put(name, dtype);
                    shapes.put(name, new long[] {ne1, ne0});
                }
                continue;
            }
            String name = hfName(kind, t.name());
            if (kind == Kind.QWEN2MOE && p.length > 2 && p[2].equals("ffn_gate_inp")) {
                String gate = "model.layers." + p[1] + ".mlp.shared_expert_gate.weight";
                tensors.put(gate, java.util.Arrays.copyOfRange(bytes, 0, (int) (t.shape().ne(0) * 4)));
                dtypes.put(gate, "F32");
                shapes.put(gate, new long[] {1, t.shape().ne(0)});
            }
            if (kind == Kind.MIXTRAL && (p.length > 2 && (p[2].equals("attn_q") || p[2].equals("attn_k")))) {
                bytes = unpermute(bytes, t.shape().rank() == 1 ? t.shape().ne(0) : t.shape().ne(1),
                        p[2].equals("attn_q") ? heads : kvHeads);
            }
            tensors.put(name, bytes);
            dtypes.put(name, dtype);
            shapes.put(name, t.shape().rank() == 1 ? new long[] {t.shape().ne(0)} : new long[] {t.shape().ne(1), t.shape().ne(0)});
        }
        writeSafetensors(dir.resolve("model.safetensors"), tensors, dtypes, shapes);
        Files.writeString(dir.resolve("config.json"), config(m, a, kind, gguf));
        Files.copy(tokenizerModel, dir.resolve("tokenizer.model"));
    }

    /** Fused Qwen-MoE experts: down as it is; gate and up interleaved per expert into gate_up_proj. */
    private static void fuse(Map<String, byte[]> tensors, Map<String, String> dtypes, Map<String, long[]> shapes,
                             String layer, String merged, byte[] bytes, String dtype, long[] hfShape) {
        String prefix = "model.layers." + layer + ".mlp.experts.";
        if (merged.equals("ffn_down_exps")) {
            tensors.put(prefix + "down_proj", bytes);
            dtypes.put(prefix + "down_proj", dtype);
            shapes.put(prefix + "down_proj", hfShape);
            return;
        }
        String name = prefix + "gate_up_proj";
        int experts = (int) hfShape[0];
        int slice = bytes.length / experts;
        byte[] fusedBytes = tensors.computeIfAbsent(name, k -> new byte[2 * bytes.length]);
        int half = merged.equals("ffn_gate_exps") ? 0 : 1;
        for (int e = 0; e < experts; e++) {
            System.arraycopy(bytes, e * slice, fusedBytes, (2 * e + half) * slice, slice);
        }
        dtypes.put(name, dtype);
        shapes.put(name, new long[] {experts, 2 * hfShape[1], hfShape[2]});
    }

    private static String hfName(Kind kind, String gguf) {
        switch (gguf) {
            case "token_embd.weight" -> {
                return "model.embed_tokens.weight";
            }
            case "output_norm.weight" -> {
                return "model.norm.weight";
            }
            case "output.weight" -> {
                return "lm_head.weight";
            }
            default -> {
            }
        }
        String[] p = gguf.split("\\.");
        String part = switch (p[2]) {
            case "attn_norm" -> "input_layernorm";
            case "ffn_norm" -> "post_attention_layernorm";
            case "attn_q" -> "self_attn.q_proj";
            case "attn_k" -> "self_attn.k_proj";
            case "attn_v" -> "self_attn.v_proj";
            case "attn_output" -> "self_attn.o_proj";
            case "attn_q_norm" -> "self_attn.q_norm";
            case "attn_k_norm" -> "self_attn.k_norm";
            case "ffn_gate" -> "mlp.gate_proj";
            case "ffn_up" -> "mlp.up_proj";
            case "ffn_down" -> "mlp.down_proj";
            case "ffn_gate_inp" -> kind == Kind.MIXTRAL ? "block_sparse_moe.gate" : "mlp.gate";
            default -> throw new IllegalArgumentException("no HF name for " + gguf);
        };
        return "model.layers." + p[1] + "." + part + "." + p[3];
    }

    private static String expertName(Kind kind, String layer, String merged, int e) {
        String w = switch (merged) {
            case "ffn_gate_exps" -> kind == Kind.MIXTRAL ? "w1" : "gate_proj";
            case "ffn_down_exps" -> kind == Kind.MIXTRAL ? "w2" : "down_proj";
            case "ffn_up_exps" -> kind == Kind.MIXTRAL ? "w3" : "up_proj";
            default -> throw new IllegalArgumentException(merged);
        };
        return "model.layers." + layer + "." + (kind == Kind.MIXTRAL ? "block_sparse_moe" : "mlp") + ".experts." + e + "."
                + w + ".weight";
    }

    /** convert's permute maps HF row (h, s, j) to GGUF row (h, j, s); so HF row h·P + s·P/2 + j is GGUF row h·P + 2j + s. */
    private static byte[] unpermute(byte[] gguf, long rows, int heads) {
        int rowBytes = (int) (gguf.length / rows);
        long per = rows / heads;
        long half = per / 2;
        byte[] hf = new byte[gguf.length];
        for (long h = 0; h < heads; h++) {
            for (long s = 0; s < 2; s++) {
                for (long j = 0; j < half; j++) {
                    long hfRow = h * per + s * half + j;
                    long ggRow = h * per + 2 * j + s;
                    System.arraycopy(gguf, (int) (ggRow * rowBytes), hf, (int) (hfRow * rowBytes), rowBytes);
                }
            }
        }
        return hf;
    }

    private static String config(Metadata m, String a, Kind kind, ModelReader gguf) {
        Map<String, Object> c = new TreeMap<>();
        c.put("architectures", List.of(kind.hfClass));
        c.put("model_type", kind.modelType);
        c.put("hidden_size", m.getLong(a + ".embedding_length").orElseThrow());
        c.put("intermediate_size", m.getLong(a + ".feed_forward_length").orElseThrow());
        c.put("num_hidden_layers", m.getLong(a + ".block_count").orElseThrow());
        c.put("num_attention_heads", m.getLong(a + ".attention.head_count").orElseThrow());
        c.put("num_key_value_heads", m.getLong(a + ".attention.head_count_kv").orElseThrow());
        c.put("max_position_embeddings", m.getLong(a + ".context_length").orElseThrow());
        c.put("rms_norm_eps", real(m, a + ".attention.layer_norm_rms_epsilon"));
        c.put("rope_theta", real(m, a + ".rope.freq_base"));
        c.put("vocab_size", gguf.tensors().stream().filter(t -> t.name().equals("token_embd.weight")).findFirst()
                .orElseThrow().shape().ne(1));
        c.put("tie_word_embeddings", false);
        c.put("torch_dtype", "float16");
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("hidden_act", "silu");
        if (kind == Kind.QWEN3 || kind == Kind.QWEN3MOE || kind == Kind.QWEN2MOE) {
            c.put("head_dim", m.getLong(a + ".embedding_length").orElseThrow() / m.getLong(a + ".attention.head_count").orElseThrow());
        }
        if (kind == Kind.MIXTRAL) {
            c.put("num_local_experts", m.getLong(a + ".expert_count").orElseThrow());
            c.put("num_experts_per_tok", m.getLong(a + ".expert_used_count").orElseThrow());
        }
        if (kind == Kind.QWEN2MOE) {
            c.put("shared_expert_intermediate_size", m.getLong(a + ".expert_feed_forward_length").orElseThrow());
        }
        if (kind == Kind.QWEN3MOE || kind == Kind.QWEN2MOE) {
            c.put("num_experts", m.getLong(a + ".expert_count").orElseThrow());
            c.put("num_experts_per_tok", m.getLong(a + ".expert_used_count").orElseThrow());
            c.put("moe_intermediate_size", m.getLong(a + ".expert_feed_forward_length").orElseThrow());
            c.put("norm_topk_prob", true);
        }
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (var e : c.entrySet()) {
            sb.append("  \"").append(e.getKey()).append("\": ").append(json(e.getValue()))
                    .append(++i < c.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    private static String real(Metadata m, String key) {
        MetaValue v = m.get(key).orElseThrow();
        return Float.toString((float) ((MetaValue.Real) v).value());
    }

    private static String json(Object v) {
        if (v instanceof String s && !s.matches("[-0-9.E]+")) {
            return "\"" + s + "\"";
        }
        if (v instanceof List<?> l) {
            return "[\"" + l.getFirst() + "\"]";
        }
        return String.valueOf(v);
    }

    /** A safetensors file as the safetensors library writes it: names sorted, compact header padded to 8 with spaces. */
    private static void writeSafetensors(Path file, Map<String, byte[]> tensors, Map<String, String> dtypes,
                                         Map<String, long[]> shapes) throws IOException {
        StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long at = 0;
        List<byte[]> data = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            long[] s = shapes.get(e.getKey());
            StringBuilder shape = new StringBuilder();
            for (long d : s) {
                shape.append(shape.isEmpty() ? "" : ",").append(d);
            }
            h.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(dtypes.get(e.getKey()))
                    .append("\",\"shape\":[").append(shape).append("],\"data_offsets\":[").append(at).append(',')
                    .append(at + e.getValue().length).append("]}");
            at += e.getValue().length;
            data.add(e.getValue());
        }
        h.append('}');
        while (h.length() % 8 != 0) {
            h.append(' ');
        }
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (byte[] d : data) {
                out.write(d);
            }
        }
    }

}
