#!/usr/bin/env bash
# GPTQ vs imatrix RTN on tiny-shakespeare-256 (docs/gptq.md). Usage: bench/gptq-measure.sh WORKDIR [TYPES...]
set -euo pipefail
W=${1:?workdir}; shift
TYPES=${*:-Q2_K Q3_K_M Q4_K_M IQ4_XS IQ2_XXS}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${QUANT4J_SHARED:-$ROOT/../shared}/reference/trained
Q=$ROOT/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant
mkdir -p "$W"
for t in $TYPES; do
  "$Q" quantize -q --imatrix "$T/tiny-shakespeare-256-imatrix.gguf" --report "$W/$t-rtn.json" \
      "$T/tiny-shakespeare-256-f16.gguf" "$W/$t-rtn.gguf" "$t" 2
  "$Q" quantize -q --imatrix "$T/tiny-shakespeare-256-imatrix.gguf" --report "$W/$t-gptq.json" \
      --gptq --calibration "$T/tiny-shakespeare-256-train.txt" --gptq-ctx 256 --gptq-chunks 40 \
      --gptq-hessians "$W/ts-256x40.hessians" ${GPTQ_EXTRA:-} \
      "$T/tiny-shakespeare-256-f16.gguf" "$W/$t-gptq.gguf" "$t" 2
done
