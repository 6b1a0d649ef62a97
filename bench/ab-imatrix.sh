#!/usr/bin/env bash
# A/B of two quant4j builds on `quant imatrix`, e.g. this branch against main:
#   bench/ab-imatrix.sh OLD/bin/quant NEW/bin/quant [MODEL.gguf] [RUNS] [CTX] [CHUNKS] ["EXTRA IMATRIX ARGS"]
# Defaults: the issue's 483 M TinyLlama-shaped F16 model (${BENCH_DIR:-/tmp/quant4j-bench}/tinyllama8-f16.gguf),
# 4 runs, -c 512 --chunks 3, -t 2, the held-out tiny-shakespeare text. Runs old and new in turn (old new old new ...,
# so a change of machine load hits both), each under /usr/bin/time -v, and prints the median CPU seconds (user +
# system), wall seconds and peak RSS of each, the median system CPU seconds, the medians of the pairwise ratios
# new / old (below 1: the new build is faster), and whether the imatrix files the two builds wrote are identical
# bytes (every run's file is compared with the first old run's) and the printed perplexities the same.
# Whole-process figures, JVM start-up and writing the file included.
set -euo pipefail
# shellcheck source=bench/time-lib.sh
source "$(dirname "$0")/time-lib.sh"
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
old="${1:?usage: $0 OLD_QUANT NEW_QUANT [MODEL.gguf] [RUNS] [CTX] [CHUNKS] [EXTRA ARGS]}"; new="${2:?new launcher}"
model="${3:-${BENCH_DIR:-/tmp/quant4j-bench}/tinyllama8-f16.gguf}"; runs="${4:-4}"; ctx="${5:-512}"; chunks="${6:-3}"
extra="${7:-}"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-ab-imatrix.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "$(basename "$model"), imatrix -c $ctx --chunks $chunks -t 2 $extra, $runs runs per build; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# one timed run: prints "CPU_SECONDS WALL_SECONDS PEAK_MIB SYSTEM_SECONDS", leaves the file in $dir/$2.gguf and the
# printed perplexity in $dir/$2.ppl
timed() {
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$dir/time.txt" "$1" imatrix -m "$model" -f "$text" -c "$ctx" --chunks "$chunks" -t 2 \
    -o "$dir/$2.gguf" $extra >"$dir/out.txt" 2>"$dir/err.txt" || { cat "$dir/err.txt" >&2; return 1; }
  { grep -o 'PPL = [0-9.]*' "$dir/out.txt" "$dir/err.txt" || true; } | sed 's/.*://' > "$dir/$2.ppl"
  time_v_figures "$dir/time.txt"
}
same=identical
check() { # $1 old|new: this run's file and perplexity against the first old run's
  if [ ! -f "$dir/ref.gguf" ]; then cp "$dir/$1.gguf" "$dir/ref.gguf"; cp "$dir/$1.ppl" "$dir/ref.ppl"; return; fi
  cmp -s "$dir/ref.gguf" "$dir/$1.gguf" || same="DIFFERENT files ($1 run $((i + 1)))"
  cmp -s "$dir/ref.ppl" "$dir/$1.ppl" || same="DIFFERENT perplexity ($(cat "$dir/ref.ppl") vs $(cat "$dir/$1.ppl"))"
}
for ((i = 0; i < runs; i++)); do
  a="$(timed "$old" old)"; check old
  b="$(timed "$new" new)"; check new
  echo "  run $((i + 1)): old $a | new $b   (cpu s, wall s, peak MiB, system s)" >&2
  echo "$a $b" >> "$dir/pairs.txt"
done
m() { awk "{ print $1 }" "$dir/pairs.txt" | median; }
printf '\n| CPU s old | CPU s new | CPU ratio | wall s old | wall s new | wall ratio | peak MiB old / new | system s old / new | imatrix files, perplexity |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
printf '| %.2f | %.2f | %.3f | %.2f | %.2f | %.3f | %.0f / %.0f | %.2f / %.2f | %s |\n' "$(m '$1')" "$(m '$5')" "$(m '$5 / $1')" \
  "$(m '$2')" "$(m '$6')" "$(m '$6 / $2')" "$(m '$3')" "$(m '$7')" "$(m '$4')" "$(m '$8')" "$same"
echo; echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
