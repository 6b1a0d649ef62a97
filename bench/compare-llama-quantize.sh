#!/usr/bin/env bash
# Side-by-side timing of `quant quantize` against llama.cpp's llama-quantize, with default settings of both.
#   bench/compare-llama-quantize.sh LLAMA_QUANTIZE [MODEL.gguf] [RUNS] [TYPES...]
# Without MODEL (or with "-") it generates the ~1 GB F16 llama-shaped model (TinyLlama shapes, 8 layers) with
# `quant demo`. Each type is run RUNS times (default 3) per tool, alternating quant4j and llama-quantize so load
# changes hit both alike, with 2 threads each:
#   bin/quant quantize --quiet IN OUT TYPE 2     vs     llama-quantize IN OUT TYPE 2
# QUANT=BIN_QUANT selects the quant4j launcher to measure (default: this checkout's distribution).
# Types needing an importance matrix (IQ3_S, IQ2_XS, ...) get IMATRIX=file.gguf from the environment, or are
# skipped. Prints one row per type: median wall seconds of each, their ratio (quant4j / llama-quantize, below 1
# = quant4j faster), the same ratio of CPU seconds (user + system) and the median peak RSS of each (GNU time's maximum resident set size).
# Wall and RSS come from /usr/bin/time -v around the whole process (JVM start-up included).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
llama="${1:?usage: $0 LLAMA_QUANTIZE [MODEL.gguf|-] [RUNS] [TYPES...]}"
model="${2:--}"
runs="${3:-3}"
shift $(( $# < 3 ? $# : 3 ))
types=("$@")
[ ${#types[@]} -eq 0 ] && types=(Q8_0 Q4_0 Q3_K_M Q6_K Q5_K_M Q2_K Q4_K_M IQ4_XS)
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -x "$llama" ] || { echo "not executable: $llama" >&2; exit 1; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-vs-llama.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
# QUANT=path/to/bin/quant measures another build (e.g. a copy of a previous distribution)
if [ -z "${QUANT:-}" ]; then
  "$root/quant" --version >/dev/null   # builds the distribution if needed
  QUANT="$root/quant-cli/target/quant-$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)/bin/quant"
fi
quant="$QUANT"
if [ "$model" = "-" ]; then
  "$quant" demo --size 950M --type Q8_0 -t 2 --keep "$dir/gen" --no-table >/dev/null
  model="$dir/gen/demo-source-f16.gguf"
  rm -f "$dir/gen/demo-q8_0.gguf"
fi
echo "model $model ($(du -h --apparent-size "$model" | cut -f1)), $runs runs per tool and type, 2 threads"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# one timed run: prints "WALL_SECONDS RSS_KB CPU_SECONDS" (CPU = user + system, steadier than wall under load)
timed() {
  /usr/bin/time -v -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/err.txt" || { cat "$dir/err.txt" "$dir/time.txt" >&2; return 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
              /Maximum resident set size/ { r = $2 } /User time|System time/ { c += $2 }
              END { printf "%.3f %d %.3f\n", w, r, c }' "$dir/time.txt"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '\n| type | quant4j s | llama-quantize s | wall ratio | CPU ratio | quant4j peak RSS | llama-quantize peak RSS |\n'
printf '|---|---|---|---|---|---|---|\n'
for type in "${types[@]}"; do
  extra=()
  case "$type" in
    IQ1_*|IQ2_*|IQ3_XXS|IQ3_S|IQ3_M|Q2_K_S)
      if [ -z "${IMATRIX:-}" ]; then echo "| $type | skipped: set IMATRIX=file to include it |"; continue; fi
      extra=(--imatrix "$IMATRIX") ;;
  esac
  : > "$dir/q.txt"; : > "$dir/l.txt"
  for ((i = 0; i < runs; i++)); do
    timed "$quant" quantize --quiet "${extra[@]}" "$model" "$dir/q.gguf" "$type" 2 >> "$dir/q.txt"
    rm -f "$dir/q.gguf"
    timed "$llama" "${extra[@]}" "$model" "$dir/l.gguf" "$type" 2 >> "$dir/l.txt"
    rm -f "$dir/l.gguf"
  done
  qw="$(cut -d' ' -f1 "$dir/q.txt" | median)"; lw="$(cut -d' ' -f1 "$dir/l.txt" | median)"
  qr="$(cut -d' ' -f2 "$dir/q.txt" | median)"; lr="$(cut -d' ' -f2 "$dir/l.txt" | median)"
  qc="$(cut -d' ' -f3 "$dir/q.txt" | median)"; lc="$(cut -d' ' -f3 "$dir/l.txt" | median)"
  awk -v t="$type" -v qw="$qw" -v lw="$lw" -v qr="$qr" -v lr="$lr" -v qc="$qc" -v lc="$lc" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.2f | %.0f MB | %.0f MB |\n", t, qw, lw, qw / lw, qc / lc, qr / 1024, lr / 1024 }'
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
