#!/usr/bin/env bash
# Regenerates quant-eval's YaRN test resources from llama.cpp: writes the yarn variants of stories260K and
# synth-qwen2 (YarnModels: rope.scaling.* keys added with our GGUF writer), runs llama.cpp on the 64 ids of
# reference/eval/logits/M.ids (llama-logits.c: one llama_decode, F32 K/V cache, no flash attention, 2 threads),
# keeps rows 7, 15, ..., 63 and writes their SHA-256 sums.
#   tools/yarn-logits/make-reference.sh [LLAMA_CPP_DIR=/work/llama-oracle]   (llama.cpp 34af94cd, built)
# Needs the CLI distribution and quant-eval's test classes:
#   ./mvnw -B -q -o -pl quant-cli -am package -DskipTests && ./mvnw -B -q -o -pl quant-eval -am test-compile
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
llama="${1:-/work/llama-oracle}"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
out="$root/quant-eval/src/test/resources/dev/quant4j/eval/model/yarn"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/llama-logits" "$root/tools/yarn-logits/llama-logits.c" -I"$llama/include" -I"$llama/ggml/include" \
  -L"$llama/build/bin" -lllama -Wl,-rpath,"$llama/build/bin"
java --add-modules jdk.incubator.vector \
  -cp "$root/quant-eval/target/test-classes:$root/quant-cli/target/quant-0.1.0-SNAPSHOT/lib/*" \
  dev.quant4j.eval.model.YarnModels "$shared" "$work"
mkdir -p "$out"
for m in stories260K synth-qwen2; do
  "$work/llama-logits" "$work/$m-yarn.gguf" "$shared/reference/eval/logits/$m.ids" "$out/$m-yarn.logits.f32" \
    7,15,23,31,39,47,55,63 2>"$work/$m.log" || { cat "$work/$m.log"; exit 1; }
  grep -E "freq_scale|n_ctx_orig_yarn|rope scaling|yarn" "$work/$m.log" | sed "s/^/$m: /" || true
done
(cd "$out" && sha256sum *.logits.f32 > SHA256SUMS && cat SHA256SUMS)
