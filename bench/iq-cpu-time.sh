#!/usr/bin/env bash
# Per-thread CPU-time A/B of the IQ quantizers: the scalar path (-Dquant4j.vector=false) against the vector
# path, alternating JVMs (A B A B ...), on IqBenchmark's 1 MiB of rows (bench/IqCpuTime.java, best of RUNS by
# thread CPU time, which a loaded machine disturbs far less than wall time). Each line also prints the CRC of
# the output: both paths must print the same one.
#   bench/iq-cpu-time.sh [ROUNDS] [TYPES...]          default: 3 rounds of iq3_s iq3_xxs
#   BASE=path/to/other/distribution bench/iq-cpu-time.sh 3 iq2_xxs     another build (its lib/ jars) against
#        this checkout, both on the vector path: A/B of two versions (e.g. a copy of main's distribution)
# Needs the module classes: ./mvnw -o -q -B -pl quant-lowbit -am compile
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-3}"
shift $(( $# < 1 ? $# : 1 ))
types=("$@")
[ ${#types[@]} -eq 0 ] && types=(iq3_s iq3_xxs)
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
slf4j="$(find "${HOME}/.m2/repository/org/slf4j/slf4j-api" -name 'slf4j-api-2*.jar' | sort | tail -n 1)"
cp="$root/quant-api/target/classes:$root/quant-kernels/target/classes:$root/quant-lowbit/target/classes:$slf4j"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BASE:-}" ]; then
  base="$(ls "$BASE"/lib/quant-api-*.jar):$(ls "$BASE"/lib/quant-kernels-*.jar):$(ls "$BASE"/lib/quant-lowbit-*.jar):$slf4j"
  for type in "${types[@]}"; do
    for ((i = 0; i < rounds; i++)); do
      "$java" --add-modules jdk.incubator.vector -cp "$base" "$root/bench/IqCpuTime.java" "$type" 25 2>/dev/null | sed 's/^/base /'
      "$java" --add-modules jdk.incubator.vector -cp "$cp" "$root/bench/IqCpuTime.java" "$type" 25 2>/dev/null | sed 's/^/this /'
    done
  done
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
for type in "${types[@]}"; do
  for ((i = 0; i < rounds; i++)); do
    for vector in false true; do
      "$java" -Dquant4j.vector=$vector --add-modules jdk.incubator.vector -cp "$cp" \
        "$root/bench/IqCpuTime.java" "$type" 25 2>/dev/null
    done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
