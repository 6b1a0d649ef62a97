#!/usr/bin/env bash
# KLD/PPL of plain vs transformed quantizations of tiny-shakespeare-256, scored by llama.cpp's llama-perplexity
# (docs/transforms.md). Usage: bench/transforms-kld.sh WORKDIR [TYPES...]
#   VARIANTS  space-separated; each is "plain" or transforms joined by '+', e.g. "smoothquant+awq:clip=true"
#   LLAMA_PERPLEXITY  path to llama-perplexity (default: on PATH); BASE_KLD  an existing --kl-divergence-base file
#   CHUNKS  held-out chunks of 256 (default 60); CAL_CHUNKS  calibration chunks of 256 from the train text (default 16)
#   A variant with "rotate" cannot rescale the imatrix: it is collected again on the rotated model from CAL_CHUNKS
#   chunks of the train text (CAL_CHUNKS=50 matches the reference imatrix, llama-imatrix over 50 chunks of 256),
#   e.g. VARIANTS="plain rotate awq:clip=true+rotate" CAL_CHUNKS=50 bench/transforms-kld.sh /tmp/rot IQ2_XXS Q2_K
set -euo pipefail
W=${1:?workdir}; shift
TYPES=${*:-Q4_K_M Q3_K_M Q2_K IQ2_XXS}
VARIANTS=${VARIANTS:-plain smoothquant awq awq:clip=true smoothquant+awq}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${QUANT4J_SHARED:-$ROOT/../shared}/reference/trained
Q=$ROOT/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant
LP=${LLAMA_PERPLEXITY:-llama-perplexity}
CHUNKS=${CHUNKS:-60}
mkdir -p "$W"
BASE=${BASE_KLD:-$W/base.kld}
if [ ! -f "$BASE" ]; then
  "$LP" -m "$T/tiny-shakespeare-256-f16.gguf" -f "$T/tiny-shakespeare-256-heldout.txt" -c 256 --chunks "$CHUNKS" \
      -t 2 --kl-divergence-base "$BASE" > "$W/base.log" 2>&1
fi
printf '| type (imatrix) | transforms | size (bytes) | mean KLD | PPL |\n|---|---|---:|---:|---:|\n'
for t in $TYPES; do
  for v in $VARIANTS; do
    name="$t-$(echo "$v" | tr ':=+,' '_-__')"
    args=()
    if [ "$v" != plain ]; then
      IFS='+' read -ra xs <<< "$v"
      for x in "${xs[@]}"; do args+=(--transform "$x"); done
      args+=(--calibration "$T/tiny-shakespeare-256-train.txt" --calibration-chunks "${CAL_CHUNKS:-16}" \
          --calibration-ctx 256)
    fi
    out="$W/$name.gguf"
    [ -f "$out" ] || "$Q" quantize -q "${args[@]}" --imatrix "$T/tiny-shakespeare-256-imatrix.gguf" \
        "$T/tiny-shakespeare-256-f16.gguf" "$out" "$t" 2 > "$W/$name.quantize.log" 2>&1
    # llama-perplexity's asynchronous log sometimes loses its last lines on exit under load: retry then
    for attempt in 1 2 3; do
      "$LP" -m "$out" --kl-divergence-base "$BASE" --kl-divergence -c 256 --chunks "$CHUNKS" \
          -f "$T/tiny-shakespeare-256-heldout.txt" -t 2 > "$W/$name.log" 2>&1
      grep -q 'Mean    KLD' "$W/$name.log" && break
    done
    kld=$(grep -m1 'Mean    KLD' "$W/$name.log" | awk '{print $3}')
    ppl=$(grep -m1 'Mean PPL(Q) ' "$W/$name.log" | awk '{print $4}')
    printf '| %s | %s | %s | %s | %s |\n' "$t" "$v" "$(stat -c %s "$out")" "$kld" "$ppl"
  done
done
