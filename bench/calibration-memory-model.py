#!/usr/bin/env python3
"""Writes a llama-shaped F16 GGUF of random weights, wide enough that transform calibration statistics take
hundreds of MiB, with the tokenizer of a small trained model (so calibration text can be run through it).

usage: PYTHONPATH=llama.cpp/gguf-py calibration-memory-model.py TOKENIZER.gguf OUT.gguf [dim ffn layers]
"""
import sys

import numpy as np
import gguf

src, out = sys.argv[1], sys.argv[2]
dim, ffn, layers = (int(v) for v in (sys.argv[3:6] if len(sys.argv) >= 6 else (1024, 2816, 8)))
heads, kv_heads = dim // 64, dim // 128
r = gguf.GGUFReader(src)
tokens = [bytes(r.fields["tokenizer.ggml.tokens"].parts[i]).decode("utf-8")
          for i in r.fields["tokenizer.ggml.tokens"].data]
scores = [float(r.fields["tokenizer.ggml.scores"].parts[i][0]) for i in r.fields["tokenizer.ggml.scores"].data]
types = [int(r.fields["tokenizer.ggml.token_type"].parts[i][0]) for i in r.fields["tokenizer.ggml.token_type"].data]
vocab = len(tokens)

w = gguf.GGUFWriter(out, "llama")
w.add_name("calibration-memory-%dx%dx%d" % (layers, dim, ffn))
w.add_context_length(256)
w.add_embedding_length(dim)
w.add_block_count(layers)
w.add_feed_forward_length(ffn)
w.add_head_count(heads)
w.add_head_count_kv(kv_heads)
w.add_layer_norm_rms_eps(1e-5)
w.add_rope_dimension_count(64)
w.add_vocab_size(vocab)
w.add_file_type(1)
w.add_tokenizer_model("llama")
w.add_token_list(tokens)
w.add_token_scores(scores)
w.add_token_types(types)
w.add_bos_token_id(1)
w.add_eos_token_id(2)
w.add_unk_token_id(0)

rng = np.random.default_rng(7)


def mat(rows, cols):  # ggml ne = [cols, rows]; numpy shape (rows, cols)
    return (rng.standard_normal((rows, cols), dtype=np.float32) / np.sqrt(cols)).astype(np.float16)


w.add_tensor("token_embd.weight", mat(vocab, dim))
for l in range(layers):
    b = "blk.%d." % l
    w.add_tensor(b + "attn_norm.weight", np.ones(dim, dtype=np.float32))
    w.add_tensor(b + "attn_q.weight", mat(dim, dim))
    w.add_tensor(b + "attn_k.weight", mat(kv_heads * 64, dim))
    w.add_tensor(b + "attn_v.weight", mat(kv_heads * 64, dim))
    w.add_tensor(b + "attn_output.weight", mat(dim, dim))
    w.add_tensor(b + "ffn_norm.weight", np.ones(dim, dtype=np.float32))
    w.add_tensor(b + "ffn_gate.weight", mat(ffn, dim))
    w.add_tensor(b + "ffn_up.weight", mat(ffn, dim))
    w.add_tensor(b + "ffn_down.weight", mat(dim, ffn))
w.add_tensor("output_norm.weight", np.ones(dim, dtype=np.float32))
w.add_tensor("output.weight", mat(vocab, dim))
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
