#!/usr/bin/env bash
# Long on-demand Jazzer runs of every parser's fuzz target, one after another (coverage-guided, sanitizer hooks on),
# at the lowest CPU priority. Each run's log goes to fuzz-logs/<target>.log; the last lines of each give
# "Done N runs in S second(s)" and the coverage. Findings are written as crash-<sha1> files beside the target's seeds
# (src/test/resources/.../<Test>Inputs/<method>/): fix the bug, rename the file to say what it is, and keep it.
#
#   tools/fuzz-long.sh [DURATION] [TARGET...]      DURATION per target (Jazzer syntax, default 5m); TARGET as below
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5m}
shift || true
all=(
  "quant-gguf GgufFuzzTest#parse"
  "quant-importance ImatrixFuzzTest#legacy"
  "quant-importance ImatrixFuzzTest#ggufSemantics"
  "quant-engine TensorTypeFileFuzzTest#parse"
  "quant-gguf OptionFuzzTest#overrideKv"
  "quant-gguf OptionFuzzTest#tensorType"
  "quant-eval TokenizerFuzzTest#fromMetadata"
  "quant-eval EvalTextFuzzTest#readAndTokenize"
  "quant-safetensors SafetensorsFuzzTest#parse"
  "quant-safetensors HfFilesFuzzTest#tokenizerModel"
  "quant-safetensors HfFilesFuzzTest#tokenizerJson"
  "quant-safetensors HfFilesFuzzTest#config"
)
mkdir -p fuzz-logs
for entry in "${all[@]}"; do
  read -r module target <<<"$entry"
  if [ $# -gt 0 ] && [[ ! " $* " == *" $target "* ]]; then
    continue
  fi
  log="fuzz-logs/${target//#/-}.log"
  echo "fuzzing $target for $duration -> $log"
  JAZZER_FUZZ=1 nice -n 19 ./mvnw -o -B -pl "$module" -am test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -Djazzer.max_duration="$duration" >"$log" 2>&1 || echo "  $target: FAILED (a finding?), see $log"
  grep -E '^Done [0-9]+ runs' "$log" || true
done
