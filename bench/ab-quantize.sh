#!/usr/bin/env bash
# A/B of two quant4j builds on the same model and types, e.g. this branch against main:
#   bench/ab-quantize.sh OLD/bin/quant NEW/bin/quant MODEL.gguf [RUNS] [TYPES...]
# Runs `quant quantize --quiet MODEL OUT TYPE 2` with each launcher in turn (old new old new ..., so a change of
# machine load hits both), each under /usr/bin/time -v, and prints per type the median CPU seconds (user + system)
# and wall seconds of each, the medians of the pairwise ratios new / old (below 1: the new build is faster), and
# whether the two outputs are byte-identical. Whole-process figures, JVM start-up included.
set -euo pipefail
old="${1:?usage: $0 OLD_QUANT NEW_QUANT MODEL.gguf [RUNS] [TYPES...]}"; new="${2:?new launcher}"
model="${3:?model}"; runs="${4:-3}"
shift $(( $# < 4 ? $# : 4 ))
types=("$@")
[ ${#types[@]} -eq 0 ] && types=(Q3_K_M Q2_K)
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-ab.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "model $model, $runs runs per build and type, 2 threads; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# one timed run: prints "CPU_SECONDS WALL_SECONDS"
timed() {
  /usr/bin/time -v -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/err.txt" || { cat "$dir/err.txt" >&2; return 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
              /User time|System time/ { c += $2 } END { printf "%.3f %.3f\n", c, w }' "$dir/time.txt"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\n| type | CPU s old | CPU s new | CPU ratio | wall s old | wall s new | wall ratio | bytes |\n|---|---|---|---|---|---|---|---|\n'
for type in "${types[@]}"; do
  : > "$dir/pairs.txt"
  for ((i = 0; i < runs; i++)); do
    a="$(timed "$old" quantize --quiet "$model" "$dir/old.gguf" "$type" 2)"
    b="$(timed "$new" quantize --quiet "$model" "$dir/new.gguf" "$type" 2)"
    echo "$a $b" >> "$dir/pairs.txt"
  done
  same=identical; cmp -s "$dir/old.gguf" "$dir/new.gguf" || same=DIFFERENT
  rm -f "$dir/old.gguf" "$dir/new.gguf"
  m() { awk "{ print $1 }" "$dir/pairs.txt" | median; }
  printf '| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n' "$type" "$(m '$1')" "$(m '$3')" "$(m '$3 / $1')" \
    "$(m '$2')" "$(m '$4')" "$(m '$4 / $2')" "$same"
done
echo; echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
