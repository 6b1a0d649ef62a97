#!/usr/bin/env bash
# GPTQ timing (docs/gptq.md "Performance"). Usage: bench/gptq-timing.sh WORKDIR [ROUNDS]
# Needs the CLI distribution and the benchmarks jar:
#   ./mvnw -B -q -o -pl quant-cli,quant-bench -am package -DskipTests
# 1. JMH: the sweep with the scalar oracle kernel vs the Vector API kernel.
# 2. The factorisation of a 2048-wide Hessian, one thread vs all cores.
# 3. The trained model (tiny-shakespeare-256) at Q4_K_M: RTN vs GPTQ, alternating, whole-process wall time.
# 4. A ~1 GB generated model (quant demo --size 1G: TinyLlama shapes, 8 layers) at Q4_K_M with synthetic
#    correlated Hessians (it has no tokenizer to calibrate with): RTN vs GPTQ, per-tensor seconds in the reports.
set -euo pipefail
W=${1:?workdir}; ROUNDS=${2:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${QUANT4J_SHARED:-$ROOT/../shared}/reference/trained
Q=$ROOT/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant
LIB=$ROOT/quant-cli/target/quant-0.1.0-SNAPSHOT/lib
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$W"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" --add-modules jdk.incubator.vector -jar "$ROOT/quant-bench/target/benchmarks.jar" GptqSweepBenchmark -t 1 \
    | grep -E '^GptqSweep|^Benchmark'
"$JAVA" -cp "$LIB/quant-kernels-0.1.0-SNAPSHOT.jar" "$ROOT/bench/GptqFactorTiming.java" 2048 "$(nproc)" 2
H=$W/ts.hessians
if [ ! -f "$H" ]; then   # calibration once (40 chunks of 256 tokens of the training text)
  "$Q" quantize -q --gptq --calibration "$T/tiny-shakespeare-256-train.txt" --gptq-ctx 256 --gptq-chunks 40 \
      --gptq-hessians "$H" "$T/tiny-shakespeare-256-f16.gguf" "$W/ts-warm.gguf" Q4_K_M
fi
for r in $(seq "$ROUNDS"); do
  for m in rtn gptq; do
    extra=(); [ $m = gptq ] && extra=(--gptq --gptq-hessians "$H")
    /usr/bin/time -f "trained Q4_K_M $m round $r: %e s wall, %M KiB max RSS, load $(cut -d' ' -f1 /proc/loadavg)" \
        "$Q" quantize -q --imatrix "$T/tiny-shakespeare-256-imatrix.gguf" "${extra[@]}" --report "$W/ts-$m.json" \
        "$T/tiny-shakespeare-256-f16.gguf" "$W/ts-$m.gguf" Q4_K_M 2>&1 | grep -v WARNING
  done
done
D=$W/demo
if [ ! -f "$D/demo-source-f16.gguf" ]; then
  mkdir -p "$D"; "$Q" demo --size 1G --keep "$D" --type Q4_K_M > /dev/null
fi
[ -f "$D/demo.hessians" ] || "$JAVA" -cp "$LIB/quant-kernels-0.1.0-SNAPSHOT.jar" "$ROOT/bench/GptqDemoHessians.java" \
    "$D/demo-source-f16.gguf" 8 "$D/demo.hessians"
for r in $(seq "$ROUNDS"); do
  for m in rtn gptq; do
    extra=(); [ $m = gptq ] && extra=(--gptq --gptq-hessians "$D/demo.hessians")
    /usr/bin/time -f "1 GB demo Q4_K_M $m round $r: %e s wall, %M KiB max RSS, load $(cut -d' ' -f1 /proc/loadavg)" \
        "$Q" quantize -q "${extra[@]}" --report "$D/$m.json" "$D/demo-source-f16.gguf" "$D/$m.gguf" Q4_K_M 2>&1 \
        | grep -v WARNING
  done
done
echo "per-tensor seconds: the \"seconds\" of each tensor in $W/ts-*.json and $D/*.json"
