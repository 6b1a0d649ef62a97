#!/usr/bin/env bash
# A/B of two quant4j builds on `quant perplexity`, e.g. this branch against main:
#   bench/ab-perplexity.sh OLD/bin/quant NEW/bin/quant [MODEL.gguf] [RUNS] [CTX] [CHUNKS]
# Defaults: the trained tiny-shakespeare-256-f16 model of ../shared, 5 runs, -c 256 --chunks 60 (the small-model
# row of the README's speed table), -t 2. Runs old and new in turn (old new old new ..., so a change of machine
# load hits both), each under /usr/bin/time -v, and prints the median CPU seconds (user + system), wall seconds and
# peak RSS of each, the median system (kernel) CPU seconds of each, the medians of the pairwise ratios new / old
# (below 1: the new build is faster), and whether
# the two printed perplexities (--json, all digits) are identical. Whole-process figures, JVM start-up included.
set -euo pipefail
# shellcheck source=bench/time-lib.sh
source "$(dirname "$0")/time-lib.sh"
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
old="${1:?usage: $0 OLD_QUANT NEW_QUANT [MODEL.gguf] [RUNS] [CTX] [CHUNKS]}"; new="${2:?new launcher}"
model="${3:-$shared/reference/trained/tiny-shakespeare-256-f16.gguf}"; runs="${4:-5}"; ctx="${5:-256}"; chunks="${6:-60}"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-ab.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "$(basename "$model"), -c $ctx --chunks $chunks -t 2, $runs runs per build; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# one timed run: prints "CPU_SECONDS WALL_SECONDS PEAK_MIB SYSTEM_SECONDS" and leaves the perplexity in $dir/$2.ppl
timed() {
  /usr/bin/time -v -o "$dir/time.txt" "$1" perplexity -m "$model" -f "$text" -c "$ctx" --chunks "$chunks" -t 2 --json \
    >"$dir/out.txt" 2>"$dir/err.txt" || { cat "$dir/err.txt" >&2; return 1; }
  grep '"ppl"' "$dir/out.txt" > "$dir/$2.ppl"
  time_v_figures "$dir/time.txt"
}
for ((i = 0; i < runs; i++)); do
  a="$(timed "$old" old)"
  b="$(timed "$new" new)"
  echo "  run $((i + 1)): old $a | new $b   (cpu s, wall s, peak MiB, system s)" >&2
  echo "$a $b" >> "$dir/pairs.txt"
done
same=identical; cmp -s "$dir/old.ppl" "$dir/new.ppl" || same="DIFFERENT ($(cat "$dir/old.ppl") vs $(cat "$dir/new.ppl"))"
m() { awk "{ print $1 }" "$dir/pairs.txt" | median; }
printf '\n| CPU s old | CPU s new | CPU ratio | wall s old | wall s new | wall ratio | peak MiB old / new | system s old / new | perplexity |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
printf '| %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f / %.0f | %.2f / %.2f | %s |\n' "$(m '$1')" "$(m '$5')" "$(m '$5 / $1')" \
  "$(m '$2')" "$(m '$6')" "$(m '$6 / $2')" "$(m '$3')" "$(m '$7')" "$(m '$4')" "$(m '$8')" "$same"
echo; echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
