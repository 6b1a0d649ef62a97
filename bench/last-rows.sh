#!/usr/bin/env bash
# The session-8 measurement of docs/forward-pass.md ("The last block on the asked rows"): two quant4j builds A/B on
# `quant perplexity` (bench/ab-perplexity.sh: alternating runs, whole process, CPU / wall / system CPU / peak RSS,
# perplexities compared digit for digit) on the 483 M model of bench/compare-llama-perplexity.sh:
#   bench/last-rows.sh OLD/bin/quant NEW/bin/quant [RUNS] [MODEL_DIR]
# F16 and Q4_K_M at -c 512 --chunks 3 (one batch), then F16 at --chunks 8 (two batches: the buffers kept between
# calls). Defaults: 5 runs, /tmp/quant4j-bench (made by bench/compare-llama-perplexity.sh). About 15 minutes quiet.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
old="${1:?usage: $0 OLD_QUANT NEW_QUANT [RUNS] [MODEL_DIR]}"; new="${2:?new launcher}"
runs="${3:-5}"; dir="${4:-/tmp/quant4j-bench}"
for m in f16 Q4_K_M; do
  "$here/ab-perplexity.sh" "$old" "$new" "$dir/tinyllama8-$m.gguf" "$runs" 512 3
done
"$here/ab-perplexity.sh" "$old" "$new" "$dir/tinyllama8-f16.gguf" "$runs" 512 8
