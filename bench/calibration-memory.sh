#!/usr/bin/env bash
# Peak memory of a transform calibration (awq: second moments) with the default --calibration-memory (one pass,
# statistics held in memory) vs a small limit (passes; statistics in a file, read one weight at a time), on a random
# llama-shaped model wide enough for the statistics to matter. Runs each route once with the Java heap capped at
# HEAP (the one-pass route is expected to run out of memory there) and once uncapped, reports max RSS
# (/usr/bin/time -v), and checks that the passes and a saved statistics file give the one-pass output byte for byte.
#
# usage: bench/calibration-memory.sh WORKDIR [LIMIT_MIB=32] [HEAP=128m] [dim ffn layers = 512 1408 8]
#   needs: the CLI built (./mvnw -B -q -o -pl quant-cli -am package -DskipTests), /usr/bin/time,
#   python3 with numpy and llama.cpp's gguf-py (GGUF_PY, default /work/llama-oracle/gguf-py), ../shared data.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:?WORKDIR}
limit=${2:-32}
heap=${3:-128m}
shape=(${4:-512} ${5:-1408} ${6:-8})
quant=$here/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant
shared=${QUANT4J_SHARED:-$here/../shared}
[ -d "$shared/reference" ] || shared=/work/shared
text=$shared/reference/trained/tiny-shakespeare-256-train.txt
mkdir -p "$work"
model=$work/wide-${shape[0]}x${shape[1]}x${shape[2]}.gguf
if [ ! -f "$model" ]; then
  PYTHONPATH=${GGUF_PY:-/work/llama-oracle/gguf-py} python3 "$here/bench/calibration-memory-model.py" \
    "$shared/reference/trained/tiny-shakespeare-256-f16.gguf" "$model" "${shape[@]}" || exit 1
fi
run() { # name, java options, calibration (text or statistics file), extra options
  local name=$1 opts=$2 cal=$3; shift 3
  QUANT_JAVA_OPTS="-XX:+UseSerialGC $opts" /usr/bin/time -v "$quant" transform "$model" "$work/$name.gguf" \
    awq:grid=2 --target Q4_0 -t 2 --calibration "$cal" --calibration-ctx 128 --calibration-chunks 4 "$@" \
    >"$work/$name.out" 2>"$work/$name.time"
  local rc=$?
  printf '%-16s %-10s exit %d  max RSS %7d KiB  %8s  %s\n' "$name" "${opts:-uncapped}" "$rc" \
    "$(awk '/Maximum resident set size/ {print $6}' "$work/$name.time")" \
    "$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$work/$name.time")" \
    "$( (tail -1 "$work/$name.out"; grep -m1 -o 'OutOfMemoryError[^"]*\|Java heap space' "$work/$name.time") | head -1)"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); model $model ($(du -h "$model" | cut -f1))"
run capped-one-pass "-Xmx$heap" "$text"
run capped-passes "-Xmx$heap" "$text" --calibration-memory "$limit"
run one-pass "" "$text" --save-calibration "$work/stats.q4jcal"
run passes "" "$text" --calibration-memory "$limit"
run from-file "" "$work/stats.q4jcal"
cmp "$work/one-pass.gguf" "$work/passes.gguf" && cmp "$work/one-pass.gguf" "$work/from-file.gguf" \
  && cmp "$work/one-pass.gguf" "$work/capped-passes.gguf" \
  && echo "identical outputs: one pass, $limit MiB passes (capped and not), saved statistics file"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
