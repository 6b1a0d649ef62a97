# Shared by bench/compare-llama-perplexity.sh and bench/compare-llama-imatrix.sh (sourced, not run): options,
# the benchmark models, whole-process timing and the alternating side-by-side loop. A script sets `usage_lines`
# (the line range of its header to print for -h), defines llama_cmd MODEL and quant_cmd MODEL (each sets the array
# `cmd` to one run of its tool) and result_line (what to print from the run's output, "$tmp/out"), then calls
# compare_parse_options "$@", compare_prepare_models and compare_side_by_side.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
llama_bin="${LLAMA_BIN:-/work/llama-oracle/build/bin}"
shared="${QUANT4J_SHARED:-$root/../shared}"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
ctx=512; chunks=3; threads=2; runs=3; types="F16 Q8_0 Q4_K_M"; models=(); extra=""; both=""

# -l LLAMA_BIN_DIR -m MODEL (repeatable) -f TEXT -c CTX -k CHUNKS -t THREADS -n RUNS -q TYPES -x QUANT_ARGS -b BOTH_ARGS
compare_parse_options() {
  local o
  while getopts "l:m:f:c:k:t:n:q:x:b:h" o; do
    case "$o" in
      l) llama_bin="$OPTARG" ;; m) models+=("$OPTARG") ;; f) text="$OPTARG" ;; c) ctx="$OPTARG" ;;
      k) chunks="$OPTARG" ;; t) threads="$OPTARG" ;; n) runs="$OPTARG" ;; q) types="$OPTARG" ;;
      x) extra="$OPTARG" ;; b) both="$OPTARG" ;;
      *) sed -n "${usage_lines}p" "$0"; exit 2 ;;
    esac
  done
  [ -d "$shared" ] || shared=/work/shared
  [ -f "$text" ] || text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
  [ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
  dist="$root/quant-cli/target/quant-0.1.0-SNAPSHOT"
  # builds the distribution when missing or stale and trains its start-up cache (lib/quant.aot) when a build lacks one
  "$root/quant" --version >/dev/null 2>&1
  quant="$dist/bin/quant"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/compare-llama.XXXXXX")"; trap 'rm -rf "$tmp"' EXIT
}

# Without -m: the issue's benchmark model, generated once into ${BENCH_DIR:-/tmp/quant4j-bench} (TinyLlama shapes,
# 8 layers, 483 M parameters, F16, the llama SPM vocabulary of ../shared; bench/TinyLlamaModel.java), and the types
# of -q made from it with llama-quantize.
compare_prepare_models() {
  [ ${#models[@]} -eq 0 ] || return 0
  local dir="${BENCH_DIR:-/tmp/quant4j-bench}" f16 ty q java_bin="" d v
  mkdir -p "$dir"
  f16="$dir/tinyllama8-f16.gguf"
  if [ ! -f "$f16" ]; then
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
}

# runs CMD... under /usr/bin/time -v; prints "wall cpu rssMiB"
timed() {
  /usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || { echo "failed: $*" >&2; tail -5 "$tmp/out" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
              /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
              END { printf "%.2f %.2f %.0f\n", w, u + s, r / 1024 }' "$tmp/time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Alternating runs (llama, quant, llama, quant, ...) of every model; one row per model: tokens/s of each
# (chunks x ctx / median whole-process wall), their ratio, the median wall and CPU seconds and peak RSS.
compare_side_by_side() {
  local tokens=$((ctx * chunks)) m i lw qw lc qc lr qr lres qres
  echo "# $(date -u '+%F %T') UTC, $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# -c $ctx --chunks $chunks -t $threads${both:+ $both}, $runs alternating runs each, text $(basename "$text")"
  printf "%-28s %9s %9s %7s %8s %8s %8s %8s %8s %8s\n" model "llama t/s" "quant t/s" ratio "llama s" "quant s" \
    "llamaCPU" "quantCPU" "llamaMiB" "quantMiB"
  for m in "${models[@]}"; do
    : >"$tmp/l"; : >"$tmp/q"
    for i in $(seq "$runs"); do
      llama_cmd "$m"; timed "${cmd[@]}" >>"$tmp/l"; lres="$(result_line)"
      quant_cmd "$m"; timed "${cmd[@]}" >>"$tmp/q"; qres="$(result_line)"
      echo "  run $i: llama $(tail -1 "$tmp/l") | quant $(tail -1 "$tmp/q")   (wall s, cpu s, peak MiB)" >&2
    done
    lw="$(cut -d' ' -f1 "$tmp/l" | median)"; qw="$(cut -d' ' -f1 "$tmp/q" | median)"
    lc="$(cut -d' ' -f2 "$tmp/l" | median)"; qc="$(cut -d' ' -f2 "$tmp/q" | median)"
    lr="$(cut -d' ' -f3 "$tmp/l" | median)"; qr="$(cut -d' ' -f3 "$tmp/q" | median)"
    awk -v m="$(basename "$m")" -v lw="$lw" -v qw="$qw" -v lc="$lc" -v qc="$qc" -v lr="$lr" -v qr="$qr" -v n="$tokens" \
      'BEGIN { printf "%-28s %9.1f %9.1f %7.2f %8.2f %8.2f %8.2f %8.2f %8d %8d\n", m, n / lw, n / qw, lw / qw, lw, qw, lc, qc, lr, qr }'
    echo "  llama: $lres | quant: $qres" >&2
  done
  echo "# ratio = quant tokens/s / llama tokens/s (medians of whole-process wall time); load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
