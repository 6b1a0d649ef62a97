#!/usr/bin/env bash
# Where the CPU of a short `quant perplexity` run goes, two builds alternating (old new old new ...):
#   bench/jit-cost.sh OLD/bin/quant NEW/bin/quant [MODEL.gguf] [RUNS] [CHUNKS]
# Defaults: the issue's 483 M F16 model of bench/compare-llama-perplexity.sh (/tmp/quant4j-bench), 3 runs each,
# -c 512 --chunks 1 -t 2 (one chunk: the run is mostly the fixed cost). Per run, from bench/thread-cpu.py
# (/proc/PID/task/*/stat): wall seconds, CPU seconds of all threads, of the compute threads (main + pool workers:
# start-up, tokenizing and the forward pass), of the C2 and C1 compiler threads and of the kernel warm-up thread,
# and the load average; then the medians of each build. Whole-process figures, JVM start-up included.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
old="${1:?usage: $0 OLD_QUANT NEW_QUANT [MODEL.gguf] [RUNS] [CHUNKS]}"; new="${2:?new launcher}"
model="${3:-/tmp/quant4j-bench/tinyllama8-f16.gguf}"; runs="${4:-3}"; chunks="${5:-1}"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-jit.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "$(basename "$model"), -c 512 --chunks $chunks -t 2, $runs runs per build; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
one() { # $1 launcher, $2 label: one line "label wall total compute c2 c1 warm load"
  python3 "$root/bench/thread-cpu.py" "$1" perplexity -m "$model" -f "$text" -c 512 --chunks "$chunks" -t 2 2>/dev/null |
    python3 -c '
import re, sys
t = sys.stdin.read()
wall = float(re.search(r"wall ([0-9.]+) s", t).group(1)); load = re.search(r"load average ([0-9.]+)", t).group(1)
th = {k.strip(): float(v) for k, v in re.findall(r"([A-Za-z][^,:]*?) ([0-9.]+)(?=,|$)", t.split("per-thread CPU s:")[1].split("\n")[0])}
pick = lambda f: sum(v for k, v in th.items() if f(k))
print(sys.argv[1], wall, sum(th.values()), pick(lambda k: k == "java" or re.match(r"quant-eval-\d", k)),
      pick(lambda k: k.startswith("C2")), pick(lambda k: k.startswith("C1")), th.get("quant-eval-warm", 0.0), load)' "$2"
}
for ((i = 0; i < runs; i++)); do
  one "$old" old | tee -a "$dir/runs.txt"
  one "$new" new | tee -a "$dir/runs.txt"
done
printf '\n| build | wall s | CPU s all threads | compute threads | C2 | C1 | warm-up thread |\n|---|---|---|---|---|---|---|\n'
for b in old new; do
  awk -v b="$b" '$1 == b' "$dir/runs.txt" | python3 -c '
import sys, statistics as s
rows = [list(map(float, l.split()[1:7])) for l in sys.stdin]
print("| " + sys.argv[1] + " | " + " | ".join(f"{s.median(c):.2f}" for c in zip(*rows)) + " |")' "$b"
done
echo; echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
