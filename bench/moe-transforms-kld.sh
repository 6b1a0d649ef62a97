#!/usr/bin/env bash
# KLD of plain vs transformed quantizations of the synthetic MoE models (docs/transforms.md, "Mixture of experts"),
# scored with quant4j's own forward pass (`quant kld`, F32) and, when LLAMA_PERPLEXITY is set, also by llama.cpp's
# llama-perplexity --kl-divergence on the same files.
# Usage: bench/moe-transforms-kld.sh WORKDIR [TYPES...]
#   MODELS    synth model names under reference/eval/models (default: "synth-qwen3moe synth-moe")
#   VARIANTS  space-separated; "plain" or transforms joined by '+' (default: "plain awq awq:clip=true smoothquant:search=4")
#   CHUNKS    held-out chunks of 256 scored (default 40); CAL_CHUNKS calibration chunks of 256 (default 16);
#   IMAT_CHUNKS chunks of 256 for the imatrix (default 32). Calibration and imatrix: the train text; scoring: held-out.
set -euo pipefail
W=${1:?workdir}; shift
TYPES=${*:-Q2_K IQ2_XXS Q3_K_M Q4_K_M}
MODELS=${MODELS:-synth-qwen3moe synth-moe}
VARIANTS=${VARIANTS:-plain awq awq:clip=true smoothquant:search=4}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=${QUANT4J_SHARED:-$ROOT/../shared}
TRAIN=$S/reference/trained/tiny-shakespeare-256-train.txt
HELD=$S/reference/trained/tiny-shakespeare-256-heldout.txt
Q=$ROOT/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant
CHUNKS=${CHUNKS:-40}
mkdir -p "$W"
printf '| model | type (imatrix) | transforms | size (bytes) | mean KLD (quant kld) | PPL (quant kld) | mean KLD (llama-perplexity) |\n'
printf '|---|---|---|---:|---:|---:|---:|\n'
for m in $MODELS; do
  F=$S/reference/eval/models/$m.gguf
  I=$W/$m.imatrix.gguf
  [ -f "$I" ] || "$Q" imatrix -m "$F" -f "$TRAIN" -c 256 --chunks "${IMAT_CHUNKS:-32}" --no-ppl -t 2 -o "$I" > "$W/$m.imatrix.log" 2>&1
  B=$W/$m.base.kld
  [ -f "$B" ] || "$Q" kld --base "$F" -m "$F" -f "$HELD" -c 256 --chunks "$CHUNKS" -t 2 --save-base "$B" > "$W/$m.base.log" 2>&1
  LB=$W/$m.llama-base.kld
  if [ -n "${LLAMA_PERPLEXITY:-}" ] && [ ! -f "$LB" ]; then
    "$LLAMA_PERPLEXITY" -m "$F" -f "$HELD" -c 256 --chunks "$CHUNKS" -t 2 --kl-divergence-base "$LB" > "$W/$m.llama-base.log" 2>&1
  fi
  for t in $TYPES; do
    for v in $VARIANTS; do
      name="$m-$t-$(echo "$v" | tr ':=+,' '_-__')"
      args=()
      if [ "$v" != plain ]; then
        IFS='+' read -ra xs <<< "$v"
        for x in "${xs[@]}"; do args+=(--transform "$x"); done
        args+=(--calibration "$TRAIN" --calibration-chunks "${CAL_CHUNKS:-16}" --calibration-ctx 256)
      fi
      out="$W/$name.gguf"
      [ -f "$out" ] || "$Q" quantize -q "${args[@]}" --imatrix "$I" "$F" "$out" "$t" 2 > "$W/$name.quantize.log" 2>&1
      "$Q" kld --base-logits "$B" -m "$out" -t 2 > "$W/$name.kld.log" 2>&1
      kld=$(grep -m1 'Mean    KLD' "$W/$name.kld.log" | awk '{print $3}')
      ppl=$(grep -m1 'Mean PPL(Q) ' "$W/$name.kld.log" | awk '{print $4}')
      lkld=-
      if [ -n "${LLAMA_PERPLEXITY:-}" ]; then
        for attempt in 1 2 3; do # its asynchronous log can lose the last lines on exit under load
          "$LLAMA_PERPLEXITY" -m "$out" --kl-divergence-base "$LB" --kl-divergence -c 256 --chunks "$CHUNKS" \
              -f "$HELD" -t 2 > "$W/$name.llama.log" 2>&1
          grep -q 'Mean    KLD' "$W/$name.llama.log" && break
        done
        lkld=$(grep -m1 'Mean    KLD' "$W/$name.llama.log" | awk '{print $3}')
      fi
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$m" "$t" "$v" "$(stat -c %s "$out")" "$kld" "$ppl" "$lkld"
    done
  done
done
