#!/usr/bin/env bash
# PT-BitNet (bitnet-absmean) variants on the trained tiny-shakespeare model: file size and our `quant kld` against a
# llama-perplexity base file (ctx 256) of the held-out text. Usage: bench/ptbitnet-kld.sh BASE.kld [WORKDIR]
# BASE.kld: llama-perplexity -m tiny-shakespeare-256-f16.gguf -f tiny-shakespeare-256-heldout.txt -c 256 --chunks 60
#           --kl-divergence-base BASE.kld   (or: quant kld --base F16 -m F16 -f TEXT -c 256 --chunks 60 --save-base BASE.kld)
set -euo pipefail
BASE=$(realpath "$1"); W=${2:-$(mktemp -d)}; cd "$(dirname "$0")/.."
Q=quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant; T=${SHARED:-../shared}/reference/trained
I=$T/tiny-shakespeare-256-imatrix.gguf
run() {
  name=$1; shift
  $Q quantize -q -t 2 "$@" "$T/tiny-shakespeare-256-f16.gguf" "$W/bn-$name.gguf" bitnet-absmean > /dev/null
  printf '%-22s %9d bytes  ' "$name" "$(stat -c %s "$W/bn-$name.gguf")"
  $Q kld --base-logits "$BASE" -m "$W/bn-$name.gguf" -t 2 2>/dev/null | grep -E 'Mean    KLD|Mean PPL\(Q\)|Same top' | tr -s ' ' | tr '\n' ' '
  echo
}
run tq2-absmean
run tq2-opt-noimat --planner-option optimize-scales=true
run tq2-opt-imat --imatrix "$I"
run tq1-opt-imat --imatrix "$I" --planner-option layout=tq1_0
run iq1s-absmean --planner-option layout=iq1_s --planner-option optimize-scales=false
run iq1s-opt-imat --imatrix "$I" --planner-option layout=iq1_s
