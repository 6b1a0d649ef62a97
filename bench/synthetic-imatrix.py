#!/usr/bin/env python3
"""Writes a synthetic importance matrix (GGUF, llama-imatrix's format) for every attention and feed-forward
weight of MODEL.gguf, for timing the IQ types, which llama-quantize refuses without an imatrix, on a model
without a tokenizer (the generated benchmark model). Values: squared Gaussians (deterministic seed), one
chunk. Needs numpy and llama.cpp's gguf-py:
    PYTHONPATH=/path/to/llama.cpp/gguf-py bench/synthetic-imatrix.py MODEL.gguf OUT.gguf
"""
import sys

import numpy as np
import gguf

model, out = sys.argv[1], sys.argv[2]
reader = gguf.GGUFReader(model)
writer = gguf.GGUFWriter(out, arch="")
writer.add_type("imatrix")
writer.add_array("imatrix.datasets", ["synthetic"])
writer.add_uint32("imatrix.chunk_count", 1)
writer.add_uint32("imatrix.chunk_size", 512)
rng = np.random.default_rng(42)
for t in reader.tensors:
    if not (t.name.startswith("blk.") and t.name.endswith(".weight") and len(t.shape) == 2):
        continue
    if "_norm" in t.name:
        continue
    cols = int(t.shape[0])  # ne0: the input dimension
    sums = (rng.standard_normal(cols, dtype=np.float32) ** 2 * 512).astype(np.float32)
    writer.add_tensor(t.name + ".in_sum2", sums.reshape(1, cols))
    writer.add_tensor(t.name + ".counts", np.array([[512.0]], dtype=np.float32))
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
print(out)
