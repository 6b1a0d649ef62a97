#!/usr/bin/env bash
# The importance planner (estimator blend) against llama.cpp's mixtures at the same file size, measured by
# llama.cpp's own llama-perplexity --kl-divergence (docs/importance-planner.md, acceptance table).
# Usage: LLAMA_BIN=/path/to/llama.cpp/build/bin bench/importance-vs-mixtures.sh WORKDIR [MIXTURES...]
# Needs the CLI distribution (./mvnw -B -q -pl quant-cli -am package -DskipTests). Prints a Markdown table.
set -euo pipefail
W=${1:?workdir}; shift
MIXES=${*:-Q2_K Q3_K_M Q4_K_M IQ4_XS IQ2_XXS}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${QUANT4J_SHARED:-$ROOT/../shared}/reference/trained
Q=$ROOT/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant
B=${LLAMA_BIN:?set LLAMA_BIN to llama.cpp build/bin (llama-quantize, llama-perplexity)}
F16=$T/tiny-shakespeare-256-f16.gguf
IMAT=$T/tiny-shakespeare-256-imatrix.gguf
HELD=$T/tiny-shakespeare-256-heldout.txt
THREADS=${THREADS:-2}
EXTRA=${PLAN_EXTRA:---planner-option estimator=blend}
mkdir -p "$W"
# llama.cpp logs through a background thread: on a loaded machine the final statistics are sometimes lost at exit
# (exit status 0). The last chunk line (chunk 60) holds the same running means with fewer digits: used then.
kld() { # kld MODEL LOG: llama-perplexity against the F16 base logits
  for try in 1 2 3; do # even the chunk-60 line is sometimes lost: run again
    [ -f "$2" ] && grep -qE '^Mean    KLD|^  60 ' "$2" && return 0
    "$B/llama-perplexity" -m "$1" --kl-divergence-base "$W/base.kld" --kl-divergence -c 256 --chunks 60 \
        -f "$HELD" -t "$THREADS" > "$2" 2>&1
  done
  grep -qE '^Mean    KLD|^  60 ' "$2" || { echo "llama-perplexity gave no KLD for $1 (see $2)" >&2; exit 1; }
}
val() { # val kld|ppl LOG
  local re; [ "$1" = kld ] && re='^Mean    KLD' || re='^Mean PPL\(Q\) '
  if grep -qE "$re" "$2"; then grep -E "$re" "$2" | head -1 | sed -E 's/.*:\s*([0-9.]+)\s*±\s*([0-9.]+).*/\1 ± \2/'
  elif [ "$1" = kld ]; then awk '$1 == "60" { print $8 " ± " $10 " (last chunk line)" }' "$2"
  else awk '$1 == "60" { print $2 " ± " $4 " (last chunk line)" }' "$2"; fi
}
[ -f "$W/base.kld" ] || "$B/llama-perplexity" -m "$F16" -f "$HELD" -c 256 --chunks 60 -t "$THREADS" \
    --kl-divergence-base "$W/base.kld" > "$W/base.log" 2>&1
echo "| mixture | mixture bytes | plan bytes | mixture KLD | plan KLD | plan / mixture | mixture PPL | plan PPL |"
echo "|---|---|---|---|---|---|---|---|"
for m in $MIXES; do
  [ -f "$W/mix-$m.gguf" ] || "$B/llama-quantize" --imatrix "$IMAT" "$F16" "$W/mix-$m.gguf" "$m" "$THREADS" > "$W/mix-$m.qlog" 2>&1
  size=$(stat -c %s "$W/mix-$m.gguf")
  [ -f "$W/plan-$m.gguf" ] || /usr/bin/time -v "$Q" quantize -q --target-size "$size" --imatrix "$IMAT" \
      --calibration "$T/tiny-shakespeare-256-train.txt" --calibration-chunks 8 \
      --planner-option cache-dir="$W/cache" --planner-option export="$W/plan-$m.types" $EXTRA \
      "$F16" "$W/plan-$m.gguf" "$THREADS" > "$W/plan-$m.out" 2> "$W/plan-$m.time"
  kld "$W/mix-$m.gguf" "$W/l-mix-$m.log"
  kld "$W/plan-$m.gguf" "$W/l-plan-$m.log"
  mk=$(val kld "$W/l-mix-$m.log"); pk=$(val kld "$W/l-plan-$m.log")
  ratio=$(awk -v a="${mk%% *}" -v b="${pk%% *}" 'BEGIN { printf "%.2f", b / a }')
  echo "| $m | $size | $(stat -c %s "$W/plan-$m.gguf") | $mk | $pk | $ratio | $(val ppl "$W/l-mix-$m.log") | $(val ppl "$W/l-plan-$m.log") |"
done
