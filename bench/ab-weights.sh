#!/usr/bin/env bash
# The same quant4j build with its weights read through the mapping (-Dquant4j.weights=mapped, as before session 9) and
# read from the file (the default), alternating runs so a drifting machine load hits both alike:
#   bench/ab-weights.sh QUANT RUNS COMMAND ARGS...
# e.g. bench/ab-weights.sh bin/quant 5 perplexity -m M.gguf -f TEXT -c 512 --chunks 3 -t 2
#      bench/ab-weights.sh bin/quant 5 quantize --quiet M.gguf OUT.gguf Q4_0 2   (the last *.gguf, the output, gets
#      a .mapped / .read suffix per mode)
# Prints each run's CPU (user + system), wall and system seconds and peak RSS, then the medians and the median of the
# pairwise ratios read / mapped; for quantize it also checks that both outputs are byte-identical.
set -euo pipefail
# shellcheck source=bench/time-lib.sh
source "$(dirname "$0")/time-lib.sh"
quant="${1:?usage: $0 QUANT RUNS COMMAND ARGS...}"; runs="${2:?runs}"; shift 2
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-abw.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "$* ; $runs pairs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # MODE: one timed run, prints "CPU WALL SYSTEM PEAK_MIB"
  local args=() a out=""
  for a in "$@"; do args+=("$a"); done
  if [ "${args[0]}" = quantize ]; then  # the output is the last *.gguf operand: one per mode
    local i; for ((i = ${#args[@]} - 1; i > 0; i--)); do
      case "${args[$i]}" in *.gguf) args[$i]="${args[$i]}.$mode"; break ;; esac
    done
  fi
  QUANT_JAVA_OPTS="-Dquant4j.weights=$mode ${QUANT_JAVA_OPTS:-}" /usr/bin/time -f "%e %U %S %M" -o "$dir/t" \
    "$quant" "${args[@]}" >"$dir/out.$mode" 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
  awk '{ printf "%.2f %.2f %.2f %d\n", $2 + $3, $1, $3, $4 / 1024 }' "$dir/t"
}
for ((i = 1; i <= runs; i++)); do
  mode=mapped; m="$(run "$@")"
  mode=read; r="$(run "$@")"
  echo "  pair $i: mapped $m | read $r   (CPU s, wall s, system s, peak MiB; load $(cut -d' ' -f1 /proc/loadavg))"
  echo "$m $r" >> "$dir/pairs"
done
if [ "$1" = quantize ]; then
  out=""; for a in "$@"; do case "$a" in *.gguf) out="$a" ;; esac; done
  cmp -s "$out.mapped" "$out.read" && echo "outputs byte-identical" || echo "OUTPUTS DIFFER"
  rm -f "$out.mapped" "$out.read"
else
  cmp -s "$dir/out.mapped" "$dir/out.read" && echo "printed results identical" || echo "printed results differ (e.g. timings)"
fi
col() { awk "{ print $1 }" "$dir/pairs" | median; }
printf '| CPU s mapped / read | CPU ratio | wall s mapped / read | wall ratio | peak MiB mapped / read |\n|---|---|---|---|---|\n'
printf '| %.2f / %.2f | %.2f | %.2f / %.2f | %.2f | %.0f / %.0f |\n' "$(col '$1')" "$(col '$5')" "$(col '$5 / $1')" \
  "$(col '$2')" "$(col '$6')" "$(col '$6 / $2')" "$(col '$4')" "$(col '$8')"
