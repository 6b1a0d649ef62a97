#!/usr/bin/env bash
# Peak memory of `quant quantize` against model size: writes sparse (all-zero) llama-shaped F16 models of each
# SIZE and quantizes them to TYPE with 2 threads, sampling the process's /proc status every 50 ms.
#   bench/memory-flat.sh [TYPE] [SIZES...]        (default Q8_0 100M 1G 10G)
# Prints peak RssAnon (heap, native buffers, JVM: what must stay flat), peak RssFile (pages of the mapped input
# and output files the process touched) and GNU time's peak RSS (their sum's maximum). Needs the sizes' free
# disk space for the outputs only (the inputs are holes); outputs are written with --no-fsync and deleted.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
type="${1:-Q8_0}"; shift || true
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(100M 1G 10G)
# QUANT_DIST=DIR measures another distribution folder (default: this checkout's, built if needed)
if [ -z "${QUANT_DIST:-}" ]; then
  "$root/quant" --version >/dev/null
  QUANT_DIST="$root/quant-cli/target/quant-$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)"
fi
dist="$QUANT_DIST"
dir="$(mktemp -d "${TMPDIR:-/tmp}/quant4j-mem.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| model | type | peak RssAnon | peak RssFile | peak RSS (time -v) | wall |"
echo "|---|---|---|---|---|---|"
for size in "${sizes[@]}"; do
  "$java" -cp "$dist/lib/*" "$root/bench/SparseModel.java" "$size" "$dir/in.gguf" >/dev/null
  /usr/bin/time -f "%M %e" -o "$dir/time.txt" "$dist/bin/quant" quantize --quiet --no-fsync "$dir/in.gguf" "$dir/out.gguf" "$type" 2 \
    >/dev/null 2>"$dir/err.txt" &
  tpid=$!
  anon=0; file=0
  while kill -0 "$tpid" 2>/dev/null; do
    jpid="$(pgrep -P "$tpid" | head -n 1 || true)"
    if [ -n "$jpid" ] && [ -r "/proc/$jpid/status" ]; then
      read -r a f < <(awk '/^RssAnon/ { a = $2 } /^RssFile/ { f = $2 } END { print a + 0, f + 0 }' "/proc/$jpid/status" 2>/dev/null || echo "0 0")
      [ "$a" -gt "$anon" ] && anon=$a
      [ "$f" -gt "$file" ] && file=$f
    fi
    sleep 0.05
  done
  wait "$tpid" || { cat "$dir/err.txt" >&2; exit 1; }
  read -r rss wall < "$dir/time.txt"
  echo "| $size ($(du -h --apparent-size "$dir/in.gguf" | cut -f1)) | $type | $((anon / 1024)) MB | $((file / 1024)) MB | $((rss / 1024)) MB | ${wall} s |"
  rm -f "$dir/in.gguf" "$dir/out.gguf"
done
