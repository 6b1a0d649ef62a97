#!/usr/bin/env bash
# Start-up overhead of the CLI: `quant --version` and `quant quantize` of stories260K (Q8_0), with and without the
# AOT caches (lib/quant.aot, lib/quant-plain.aot), alternating the configurations, each run under /usr/bin/time.
#   bench/startup.sh [RUNS] [MODEL]          (default 5 runs, ../shared/models/stories260K.gguf)
#   QUANT_BASE=/other/dist/bin/quant bench/startup.sh ...   also alternates with another distribution (a build
#                                            before a change, with its own cache), rows "base"
# Prints per configuration the median wall seconds and CPU seconds (user + system), and the load average.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
model="${2:-$root/../shared/models/stories260K.gguf}"
[ -f "$model" ] || { echo "no model at $model" >&2; exit 1; }
if [ -z "${QUANT:-}" ]; then
  "$root/quant" --version >/dev/null   # builds the distribution and its AOT cache if needed
  QUANT="$root/quant-cli/target/quant-$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)/bin/quant"
fi
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-startup.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# one run: appends "WALL CPU" to file $1; the rest is the command
timed() {
  local out="$1"; shift
  /usr/bin/time -f "%e %U %S" -o "$dir/t" "$@" >/dev/null 2>&1
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$dir/t" >> "$out"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
dists=(new); [ -n "${QUANT_BASE:-}" ] && dists+=(base)
for ((i = 0; i < runs; i++)); do
  for dist in "${dists[@]}"; do
    q="$QUANT"; [ "$dist" = base ] && q="$QUANT_BASE"
    for cache in with without; do
      opts=""; [ "$cache" = without ] && opts="-XX:AOTMode=off"
      QUANT_JAVA_OPTS="$opts" timed "$dir/version-$dist-$cache" "$q" --version
      QUANT_JAVA_OPTS="$opts" timed "$dir/quantize-$dist-$cache" "$q" quantize --quiet "$model" "$dir/out.gguf" Q8_0
      rm -f "$dir/out.gguf"
    done
  done
done
printf '\n| command | build | AOT cache | wall s (median) | CPU s (median) |\n|---|---|---|---|---|\n'
for cmd in version quantize; do
  for dist in "${dists[@]}"; do
    for cache in with without; do
      f="$dir/$cmd-$dist-$cache"
      printf '| %s | %s | %s | %s | %s |\n' "$cmd" "$dist" "$cache" "$(cut -d' ' -f1 "$f" | median)" "$(cut -d' ' -f2 "$f" | median)"
    done
  done
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
