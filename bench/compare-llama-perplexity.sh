#!/usr/bin/env bash
# Side by side: `quant perplexity` against llama.cpp's llama-perplexity on the same model, text and thread count,
# runs alternating (llama, quant, llama, quant, ...) so that a drifting machine load hits both alike. Prints per
# run and as medians: wall seconds, tokens/s (chunks x ctx / whole-process wall, model loading and JVM start-up
# included), user+sys CPU seconds and peak RSS (from /usr/bin/time -v), and the ratio quant/llama of tokens/s.
#
#   bench/compare-llama-perplexity.sh [-l LLAMA_BIN_DIR] [-m MODEL.gguf ...] [-f TEXT] [-c CTX] [-k CHUNKS]
#                                     [-t THREADS] [-n RUNS] [-q "F16 Q8_0 Q4_K_M"] [-x "EXTRA QUANT ARGS"]
#
# Without -m it generates the issue's benchmark model once into ${BENCH_DIR:-/tmp/quant4j-bench}: the demo
# generator's TinyLlama shapes, 8 layers, 483 M parameters, F16, with the llama SPM vocabulary of
# ../shared/models (bench/TinyLlamaModel.java), and the types of -q with llama-quantize. Defaults: -c 512 -k 3
# -t 2 -n 3, the held-out tiny-shakespeare text; about 6 minutes on an idle 2-core machine for all three types.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
llama_bin="${LLAMA_BIN:-/work/llama-oracle/build/bin}"
shared="${QUANT4J_SHARED:-$root/../shared}"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
ctx=512; chunks=3; threads=2; runs=3; types="F16 Q8_0 Q4_K_M"; models=(); extra=""
while getopts "l:m:f:c:k:t:n:q:x:h" o; do
  case "$o" in
    l) llama_bin="$OPTARG" ;; m) models+=("$OPTARG") ;; f) text="$OPTARG" ;; c) ctx="$OPTARG" ;;
    k) chunks="$OPTARG" ;; t) threads="$OPTARG" ;; n) runs="$OPTARG" ;; q) types="$OPTARG" ;; x) extra="$OPTARG" ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
[ -d "$shared" ] || shared=/work/shared
[ -f "$text" ] || text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
perplexity="$llama_bin/llama-perplexity"
[ -x "$perplexity" ] || { echo "no llama-perplexity at $perplexity (give -l LLAMA_BIN_DIR)" >&2; exit 2; }
dist="$root/quant-cli/target/quant-0.1.0-SNAPSHOT"
# builds the distribution when missing or stale and trains its start-up cache (lib/quant.aot) when a build lacks one
"$root/quant" --version >/dev/null 2>&1
quant="$dist/bin/quant"

if [ ${#models[@]} -eq 0 ]; then
  dir="${BENCH_DIR:-/tmp/quant4j-bench}"; mkdir -p "$dir"
  f16="$dir/tinyllama8-f16.gguf"
  if [ ! -f "$f16" ]; then
    java_bin=""
    for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do   # the first JDK >= 25 (the jars are compiled for 25)
      v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release" 2>/dev/null || true)"
      if [ -n "$v" ] && [ "$v" -ge 25 ]; then java_bin="$d/bin/java"; break; fi
    done
    "$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -cp "$(ls "$dist"/lib/*.jar | tr '\n' ':')" "$root/bench/TinyLlamaModel.java" "$f16" \
      "$shared/models/ggml-vocab-llama-spm.gguf" 8 2>&1 | grep -v '^WARNING'
  fi
  for ty in $types; do
    if [ "$ty" = F16 ]; then models+=("$f16"); continue; fi
    q="$dir/tinyllama8-$ty.gguf"
    [ -f "$q" ] || "$llama_bin/llama-quantize" "$f16" "$q" "$ty" "$threads" >/dev/null 2>&1
    models+=("$q")
  done
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/compare-ppl.XXXXXX")"; trap 'rm -rf "$tmp"' EXIT
tokens=$((ctx * chunks))
# runs CMD... under /usr/bin/time -v; prints "wall cpu rssMiB"
timed() {
  /usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || { echo "failed: $*" >&2; tail -5 "$tmp/out" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
              /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
              END { printf "%.2f %.2f %.0f\n", w, u + s, r / 1024 }' "$tmp/time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "# $(date -u '+%F %T') UTC, $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# -c $ctx --chunks $chunks -t $threads, $runs alternating runs each, text $(basename "$text")"
printf "%-28s %9s %9s %9s %9s %8s %8s %7s\n" model "llama t/s" "quant t/s" ratio "llama s" "quant s" "llamaMiB" "quantMiB"
for m in "${models[@]}"; do
  : >"$tmp/l"; : >"$tmp/q"
  for i in $(seq "$runs"); do
    timed "$perplexity" -m "$m" -f "$text" -c "$ctx" --chunks "$chunks" -t "$threads" >>"$tmp/l"
    lppl="$(grep -o 'Final estimate: PPL = [0-9.]*' "$tmp/out" || true)"
    # shellcheck disable=SC2086
    timed "$quant" perplexity -m "$m" -f "$text" -c "$ctx" --chunks "$chunks" -t "$threads" $extra >>"$tmp/q"
    qppl="$(grep -o 'Final estimate: PPL = [0-9.]*' "$tmp/out" || true)"
    echo "  run $i: llama $(tail -1 "$tmp/l") | quant $(tail -1 "$tmp/q")   (wall s, cpu s, peak MiB)" >&2
  done
  lw="$(cut -d' ' -f1 "$tmp/l" | median)"; qw="$(cut -d' ' -f1 "$tmp/q" | median)"
  lr="$(cut -d' ' -f3 "$tmp/l" | median)"; qr="$(cut -d' ' -f3 "$tmp/q" | median)"
  awk -v m="$(basename "$m")" -v lw="$lw" -v qw="$qw" -v lr="$lr" -v qr="$qr" -v n="$tokens" \
    'BEGIN { printf "%-28s %9.1f %9.1f %9.2f %9.2f %8.2f %8d %7d\n", m, n / lw, n / qw, lw / qw, lw, qw, lr, qr }'
  echo "  llama: $lppl | quant: $qppl" >&2
done
echo "# ratio = quant tokens/s / llama tokens/s (medians of whole-process wall time); load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
