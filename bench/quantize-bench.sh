#!/usr/bin/env bash
# Generates a llama-shaped F16 model of SIZE (default 2G) and quantizes it to TYPE with THREADS threads under
# a 512 MB heap, printing quant4j's summary and the process's peak resident memory.
#   bench/quantize-bench.sh [SIZE] [TYPE] [THREADS] [HEAP]
# Peak RSS counts pages of the memory-mapped model files that the kernel keeps resident; the heap limit is
# what proves memory stays flat: the run fails with OutOfMemoryError if anything scales with model size.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size="${1:-2G}"; type="${2:-Q8_0}"; threads="${3:-2}"; heap="${4:-512m}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
"$root/quant" --version >/dev/null   # builds the distribution if needed
export QUANT_JAVA_OPTS="-Xmx$heap"
echo "model ~$size F16 -> $type, $threads threads, heap $heap, in $dir"
/usr/bin/time -f "peak RSS %M KB, wall %e s" "$root/quant" demo --size "$size" --type "$type" -t "$threads" \
  --keep "$dir" --no-table
