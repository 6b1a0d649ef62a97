#!/usr/bin/env bash
# KLD/PPL of compressed-tensors checkpoints of tiny-shakespeare-256 with and without transforms/GPTQ, scored by
# quant4j's own forward pass (F32) against the HF f32 checkpoint (docs/safetensors.md, docs/transforms.md).
# Usage: bench/ct-compose-kld.sh WORKDIR
#   VARIANTS  space-separated SCHEME:KIND[:int8] entries, KIND = rtn | gptq | transforms joined by '+' (options
#             with '_' for ':', e.g. W8A8:smoothquant_alpha=0.8:int8), optionally ending in +gptq; ':int8' scores with
#             --int8-activations. CHUNKS held-out chunks of 256 (default 60); CAL_CHUNKS calibration chunks of 256
#             from the train text (default 8); THREADS (default 2); QUANT the quant launcher (default: the built one).
set -euo pipefail
W=${1:?workdir}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
S=${QUANT4J_SHARED:-$ROOT/../shared}/reference
HF=$S/hf/tiny-shakespeare-256-f32
TRAIN=$S/trained/tiny-shakespeare-256-train.txt
HELD=$S/trained/tiny-shakespeare-256-heldout.txt
Q=${QUANT:-$ROOT/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant}
CHUNKS=${CHUNKS:-60}
CAL=${CAL_CHUNKS:-8}
T=${THREADS:-2}
VARIANTS=${VARIANTS:-"W8A8:rtn W8A8:smoothquant W8A8:rtn:int8 W8A8:smoothquant:int8 W8A8:smoothquant_alpha=0.8:int8 W8A8:smoothquant_search=4:int8
  W4A16:rtn W4A16:awq W4A16:awq_clip=true W4A16:gptq W4A16:awq+gptq W4A16_ASYM:rtn W4A16_ASYM:gptq"}
mkdir -p "$W"
BASE=$W/base.kld
[ -f "$BASE" ] || "$Q" kld --base "$HF" -f "$HELD" -c 256 --chunks "$CHUNKS" -t "$T" --save-base "$BASE" \
    -m "$HF" > "$W/base.log" 2>&1
printf '| scheme | weights | activations | size (bytes) | mean KLD | PPL |\n|---|---|---|---:|---:|---:|\n'
for v in $VARIANTS; do
  IFS=':' read -r scheme kind act <<< "$v"
  spec=$(echo "$kind" | tr '_' ':')   # smoothquant_alpha=0.8 -> smoothquant:alpha=0.8
  out=$W/$scheme-$kind
  args=()
  if [[ $spec == *gptq* ]]; then   # gptq alone, or transforms then gptq (e.g. awq+gptq)
    args+=(--gptq --calibration "$TRAIN" --gptq-ctx 256 --gptq-chunks "$CAL" --gptq-hessians "$W/$scheme-$kind.hessians")
    spec=${spec%gptq}; spec=${spec%+}
  fi
  if [ "$spec" != rtn ] && [ -n "$spec" ]; then
    IFS='+' read -ra xs <<< "$spec"
    for x in "${xs[@]}"; do args+=(--transform "$x"); done
    [[ " ${args[*]} " == *" --calibration "* ]] || args+=(--calibration "$TRAIN")
    args+=(--calibration-chunks "$CAL" --calibration-ctx 256)
  fi
  [ -d "$out" ] || "$Q" quantize --output-format compressed-tensors "${args[@]}" -t "$T" "$HF" "$out" "$scheme" \
      > "$out.quantize.log" 2>&1
  flags=()
  [ "${act:-}" = int8 ] && flags=(--int8-activations)
  log=$W/$scheme-$kind${act:+-$act}.log
  "$Q" kld --base-logits "$BASE" -m "$out" -t "$T" "${flags[@]}" > "$log" 2>&1
  size=$(cat "$out"/*.safetensors | wc -c)
  kld=$(grep -m1 'Mean    KLD' "$log" | awk '{print $3}')
  ppl=$(grep -m1 'Mean PPL(Q)' "$log" | awk '{print $4}')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$scheme" "$kind" "${act:-float}" "$size" "$kld" "$ppl"
done
