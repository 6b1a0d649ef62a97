#!/usr/bin/env bash
# C2's work in one `quant perplexity` run, two builds alternating (old new old new ...):
#   bench/c2-compiles.sh OLD/bin/quant NEW/bin/quant [MODEL.gguf] [RUNS] [CHUNKS]
# Defaults: the issue's 483 M F16 model (/tmp/quant4j-bench), 2 runs each, -c 512 --chunks 3 -t 2. Each run writes
# the JIT's compilation log (-XX:+LogCompilation) and this prints, per run: C2 compiles and their summed seconds
# (wall clock of the compiler thread: inflated on a loaded machine, the counts are not), and the compiles and
# seconds of the groups docs/forward-pass.md ("Fixed cost of the first batch, third pass") looks at: attention's
# loops, the plain-loop activations, the vector softmax, BigInteger (BigDecimal's class initializer), on-stack
# replacement compiles of our code.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
old="${1:?usage: $0 OLD_QUANT NEW_QUANT [MODEL.gguf] [RUNS] [CHUNKS]}"; new="${2:?new launcher}"
model="${3:-/tmp/quant4j-bench/tinyllama8-f16.gguf}"; runs="${4:-2}"; chunks="${5:-3}"
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-c2.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "$(basename "$model"), -c 512 --chunks $chunks -t 2, $runs runs per build"
summary() { # $1 log, $2 label, $3 load average
  python3 - "$1" "$2" "$3" <<'PY'
import re, sys
t = open(sys.argv[1], errors="replace").read()
groups = {"attention": r"eval\.model\.Attention (lambda\$attend|attendHead|attendBlock|queryRow)",
          "plain activations": r"LaneExactActivations|Activations\$Scalar finish",
          "vector softmax": r"VectorActivations softmax", "BigInteger": r"java\.math\.BigInteger"}
n = total = osr = 0
g = {k: [0, 0.0] for k in groups}
for m in re.finditer(r"<task ([^>]*)>.*?<task_done ([^>]*)/>", t, re.S):
    a = dict(re.findall(r"(\w+)='([^']*)'", m.group(1)))
    d = dict(re.findall(r"(\w+)='([^']*)'", m.group(2)))
    if a.get("level", "4") != "4":
        continue                                  # C1 tiers carry a level; C2 tasks do not
    s = float(d["stamp"]) - float(a["stamp"])
    n += 1; total += s
    osr += "osr_bci" in a and a["method"].startswith("dev.quant4j")
    for k, p in groups.items():
        if re.search(p, a["method"]):
            g[k][0] += 1; g[k][1] += s
print(f"{sys.argv[2]:4} load {sys.argv[3]:5}  C2 {n:3} compiles {total:5.2f} s  our OSR {osr:2}  " +
      "  ".join(f"{k} {c} / {s:.2f} s" for k, (c, s) in g.items()))
PY
}
for ((i = 0; i < runs; i++)); do
  for side in old new; do
    launcher="$old"; [ "$side" = new ] && launcher="$new"
    QUANT_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$dir/$side.xml" \
      "$launcher" perplexity -m "$model" -f "$text" -c 512 --chunks "$chunks" -t 2 >/dev/null 2>&1
    summary "$dir/$side.xml" "$side" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
