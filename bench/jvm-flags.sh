#!/usr/bin/env bash
# Per-thread CPU of one distribution under several JVM option sets, round-robin (A B C A B C ...):
#   bench/jvm-flags.sh QUANT [MODEL.gguf] [CHUNKS] [ROUNDS] [COMMAND] -- "OPTS_A" "OPTS_B" ...
# Each option set goes into QUANT_JAVA_OPTS (after the launcher's own flags, so it overrides them); "" is the
# launcher as it is. Defaults: the issue's 483 M F16 model (/tmp/quant4j-bench), -c 512 --chunks 3 -t 2, 5 rounds,
# `perplexity` (or `imatrix`, which writes to a scratch file). Per run, from bench/thread-cpu.py: wall seconds, CPU
# seconds of all threads, of the compute threads (main + pool workers), C2, C1, the kernel warm-up thread, and the
# GC and VM threads, the load average and the result (the final perplexity, or the imatrix file's checksum); then
# per option set the medians and the median of its pair ratios against the first set (CPU of all threads and
# wall). docs/forward-pass.md, "JVM flags and the start-up cache for the first batch (session 10)".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
usage="usage: $0 QUANT [MODEL.gguf] [CHUNKS] [ROUNDS] [COMMAND] -- \"OPTS_A\" \"OPTS_B\" ..."
quant="${1:?$usage}"; shift
args=(); while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
[ "${1:-}" = -- ] || { echo "$usage" >&2; exit 2; }
shift; [ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
model="${args[0]:-/tmp/quant4j-bench/tinyllama8-f16.gguf}"; chunks="${args[1]:-3}"; rounds="${args[2]:-5}"
command="${args[3]:-perplexity}"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-flags.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "$command $(basename "$model"), -c 512 --chunks $chunks -t 2, $rounds rounds; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
one() { # $1 option-set index, $2 options: one line "index wall total compute c2 c1 warm gc load result"
  local extra=() result
  [ "$command" = imatrix ] && extra=(-o "$dir/imatrix.gguf")
  QUANT_JAVA_OPTS="$2" python3 "$root/bench/thread-cpu.py" "$quant" "$command" -m "$model" -f "$text" -c 512 \
    --chunks "$chunks" -t 2 ${extra[@]+"${extra[@]}"} >"$dir/threads.txt" 2>"$dir/out.txt" || { tail "$dir/out.txt" >&2; return 1; }
  if [ "$command" = imatrix ]; then result="$(md5sum < "$dir/imatrix.gguf" | cut -c1-12)"
  else result="$(sed -n 's/.*Final estimate: PPL = \([0-9.]*\).*/\1/p' "$dir/out.txt" | tail -n 1)"; fi
  python3 - "$1" "${result:-none}" "$dir/threads.txt" <<'PY'
import re, sys
t = open(sys.argv[3]).read()
wall = float(re.search(r"wall ([0-9.]+) s", t).group(1)); load = re.search(r"load average ([0-9.]+)", t).group(1)
th = {k.strip(): float(v) for k, v in re.findall(r"([A-Za-z][^,:]*?) ([0-9.]+)(?=,|$)", t.split("per-thread CPU s:")[1].split("\n")[0])}
pick = lambda f: sum(v for k, v in th.items() if f(k))
print(sys.argv[1], wall, round(sum(th.values()), 2), round(pick(lambda k: k == "java" or re.match(r"quant-eval-\d", k)), 2),
      round(pick(lambda k: k.startswith("C2")), 2), round(pick(lambda k: k.startswith("C1")), 2),
      th.get("quant-eval-warm", 0.0), round(pick(lambda k: k.startswith(("GC", "G1", "VM Thread"))), 2), load, sys.argv[2])
PY
}
for ((r = 0; r < rounds; r++)); do
  i=0
  for opts in "$@"; do one "$i" "$opts" | tee -a "$dir/runs.txt"; i=$((i + 1)); done
done
python3 - "$dir/runs.txt" "$@" <<'PY'
import sys, statistics as s
rows = [l.split() for l in open(sys.argv[1])]
sets = sys.argv[2:]
print("\n| options | wall s | CPU s all threads | compute | C2 | C1 | warm-up | GC+VM | CPU ratio | wall ratio | results |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
base = [r for r in rows if r[0] == "0"]
for i, o in enumerate(sets):
    mine = [r for r in rows if r[0] == str(i)]
    med = [s.median(float(r[c]) for r in mine) for c in range(1, 8)]
    cpu = s.median(float(m[2]) / float(b[2]) for m, b in zip(mine, base))
    wall = s.median(float(m[1]) / float(b[1]) for m, b in zip(mine, base))
    results = ",".join(sorted({r[9] for r in mine}))
    print(f"| {o or '(launcher)'} | " + " | ".join(f"{v:.2f}" for v in med) + f" | {cpu:.2f} | {wall:.2f} | {results} |")
PY
echo; echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
