#!/usr/bin/env bash
# quant imatrix chunk by chunk and with --layer-streaming under a small heap (so the residual activations go to a
# mapped temporary file), whole-process wall time and peak RSS from /usr/bin/time -v, and a byte comparison of the
# two imatrix files; then the same for quant perplexity's --json ppl.
#   bench/imatrix-layer-streaming.sh [MODEL=shared/reference/trained/tiny-shakespeare-256-f16.gguf] [TEXT=...heldout.txt]
#                                    [CTX=256] [CHUNKS=60] [HEAP=48m] [THREADS=2]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
model="${1:-$shared/reference/trained/tiny-shakespeare-256-f16.gguf}"
text="${2:-$shared/reference/trained/tiny-shakespeare-256-heldout.txt}"
ctx="${3:-256}"; chunks="${4:-60}"; heap="${5:-48m}"; threads="${6:-2}"
quant="$root/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant"
[ -x "$quant" ] || "$root/quant" --version >/dev/null
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
measure() { # label, heap or "", args...
  local label="$1" h="$2"; shift 2
  QUANT_JAVA_OPTS="${h:+-Xmx$h}" /usr/bin/time -v -o "$work/time" "$quant" "$@" >"$work/out" 2>"$work/err"
  awk -v l="$label" -F': ' '/Maximum resident/ { m = $2 } /Elapsed/ { w = $2 }
    END { printf "%-40s wall %s, peak RSS %d MiB\n", l, w, m / 1024 }' "$work/time"
}
common=(-m "$model" -f "$text" -c "$ctx" --chunks "$chunks" -t "$threads")
measure "imatrix chunk by chunk" "" imatrix "${common[@]}" -o "$work/plain.gguf"
measure "imatrix --layer-streaming, heap $heap" "$heap" imatrix "${common[@]}" --layer-streaming -o "$work/streamed.gguf"
cmp "$work/plain.gguf" "$work/streamed.gguf" && echo "imatrix files: identical bytes"
measure "perplexity --no-layer-streaming" "" perplexity "${common[@]}" --no-layer-streaming --json
grep '"ppl"' "$work/out"
measure "perplexity --layer-streaming, heap $heap" "$heap" perplexity "${common[@]}" --layer-streaming --json
grep '"ppl"' "$work/out"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
