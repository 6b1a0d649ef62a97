#!/usr/bin/env bash
# The matmul kernel in GFLOP per CPU-second of its thread (bench/KernelCpuTime.java) on the TinyLlama-shaped
# ffn_up (5632 x 2048) and ffn_down (2048 x 5632) weights x 1536 tokens, median of 3 passes per run. With a second
# jar (e.g. main's quant-bench/target/benchmarks.jar copied aside) the two alternate, round by round, so a drifting
# machine load hits both alike. Builds quant-bench's jar when it is missing. -m "f32 f16 q8_0 ..." picks the
# weight sources (bench/KernelCpuTime.java): f32 one float tile reused (the kernel alone, default), f16 the whole
# matrix as F16 (q8_0, q4_k: those) in native memory read tile by tile as MatMul does, *-decoded decoded to floats
# first (the registry's dequantizer; main's MatMul path).
#
# -n TOKENS changes the batch (default 1536; 512 is one -c 512 chunk, where the weight reads weigh 3x more).
#
#   bench/kernel-cpu-time.sh [-r ROUNDS] [-m MODES] [-n TOKENS] [BASE_BENCHMARKS_JAR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds=3; modes=f32; tokens=1536
while getopts "r:m:n:h" o; do
  case "$o" in r) rounds="$OPTARG" ;; m) modes="$OPTARG" ;; n) tokens="$OPTARG" ;; *) sed -n '2,12p' "$0"; exit 2 ;; esac
done
shift $((OPTIND - 1))
java_bin=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do   # the first JDK >= 25 (the jars are compiled for 25)
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release" 2>/dev/null || true)"
  if [ -n "$v" ] && [ "$v" -ge 25 ]; then java_bin="$d/bin/java"; break; fi
done
jar="$root/quant-bench/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && JAVA_HOME="$(dirname "$(dirname "$java_bin")")" ./mvnw -B -q -pl quant-bench -am package -DskipTests)
jars=("$jar"); names=(this)
if [ $# -gt 0 ]; then jars+=("$1"); names+=(base); fi
echo "# $(date -u '+%F %T') UTC, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for shape in "5632 2048" "2048 5632"; do
    for mode in $modes; do
      for i in "${!jars[@]}"; do
        # shellcheck disable=SC2086
        g="$("$java_bin" --add-modules jdk.incubator.vector -cp "${jars[$i]}" "$root/bench/KernelCpuTime.java" $shape "$tokens" 3 \
          "$mode" 2>/dev/null | awk '/^pass/ {print $(NF-5)}' | sort -n | sed -n 2p)"
        echo "round $r ${names[$i]} $mode ${shape/ /x} x $tokens: $g GFLOP per CPU-s (median of 3 passes)"
      done
    done
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
