#!/usr/bin/env bash
# The fixed cost of `quant perplexity` before its first batch (issue 9: JVM start, registry, GGUF header, vocabulary,
# tokenizing): the seconds from launch to the line "perplexity: calculating perplexity over N chunks" (printed just
# before the first batch), and the whole process's wall, user and system seconds and minor page faults (GNU time).
# With -B it alternates with a second distribution (e.g. one built from main, copied with `cp -a` so its start-up
# cache stays valid), runs new, base, new, base, ... so a drifting machine load hits both alike; medians per side.
#
#   bench/start-path.sh [-n RUNS] [-m MODEL.gguf] [-f TEXT] [-c CTX] [-k CHUNKS] [-t THREADS] [-B BASE_DIST_DIR]
#
# Defaults: 5 runs, the issue's 483 M-parameter F16 benchmark model (${BENCH_DIR:-/tmp/quant4j-bench}, made by
# bench/compare-llama-perplexity.sh), the held-out tiny-shakespeare text, -c 512, -k 1, -t 2.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
runs=5; model="${BENCH_DIR:-/tmp/quant4j-bench}/tinyllama8-f16.gguf"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"; ctx=512; chunks=1; threads=2; base=""
while getopts "n:m:f:c:k:t:B:h" o; do
  case "$o" in
    n) runs="$OPTARG" ;; m) model="$OPTARG" ;; f) text="$OPTARG" ;; c) ctx="$OPTARG" ;; k) chunks="$OPTARG" ;;
    t) threads="$OPTARG" ;; B) base="$OPTARG" ;; *) sed -n 2,12p "$0"; exit 2 ;;
  esac
done
[ -f "$model" ] || { echo "no model at $model (bench/compare-llama-perplexity.sh makes it)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
"$root/quant" --version >/dev/null 2>&1 # builds the distribution and its start-up cache when stale
dists=(new "$root/quant-cli/target/quant-0.1.0-SNAPSHOT"); [ -n "$base" ] && dists+=(base "$base")
tmp="$(mktemp -d "${TMPDIR:-/tmp}/start-path.XXXXXX")"; trap 'rm -rf "$tmp"' EXIT

# one run of distribution $2 appended to $tmp/$1: "first_line_s wall user sys minor_faults"
run_one() {
  local start first="" line
  start=$EPOCHREALTIME
  while IFS= read -r line; do
    if [ -z "$first" ] && [[ "$line" == *"calculating perplexity over"* ]]; then
      first=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    fi
  done < <(/usr/bin/time -o "$tmp/time" -f "%e %U %S %R" "$2/bin/quant" perplexity -m "$model" -f "$text" \
             -c "$ctx" --chunks "$chunks" -t "$threads" 2>&1 >/dev/null)
  wait
  echo "${first:-nan} $(cat "$tmp/time")" >> "$tmp/$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $(date -u '+%F %T') UTC, $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(basename "$model"), -c $ctx --chunks $chunks -t $threads, $runs alternating runs"
for ((i = 0; i < runs; i++)); do
  for ((d = 0; d < ${#dists[@]}; d += 2)); do run_one "${dists[d]}" "${dists[d + 1]}"; done
done
printf "%-5s %12s %8s %8s %8s %10s\n" dist "first-line s" "wall s" "user s" "sys s" "minflt"
for ((d = 0; d < ${#dists[@]}; d += 2)); do
  f="$tmp/${dists[d]}"
  printf "%-5s %12s %8s %8s %8s %10s\n" "${dists[d]}" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)" \
    "$(cut -d' ' -f3 "$f" | median)" "$(cut -d' ' -f4 "$f" | median)" "$(cut -d' ' -f5 "$f" | median)"
done
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
