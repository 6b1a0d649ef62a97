#!/usr/bin/env bash
# Proves --layer-streaming reads each weight from disk once: evicts MODEL from the page cache (posix_fadvise
# DONTNEED through dd's nocache flag, no root needed), runs `quant perplexity --layer-streaming` under a heap
# smaller than the model, and prints the bytes the process read from disk (/usr/bin/time -v's file system inputs,
# 512-byte units) against the model size.
#   bench/layer-streaming-io.sh MODEL.gguf [HEAP=1g] [CTX=128] [CHUNKS=17] [THREADS=2] [MODE=--layer-streaming]
# Without a model: bench/compare-llama-perplexity.sh's generator with 20 layers (2.0 GB), e.g.
#   java --add-modules jdk.incubator.vector -cp "quant-cli/target/quant-0.1.0-SNAPSHOT/lib/*" \
#     bench/TinyLlamaModel.java /tmp/tl20-f16.gguf ../shared/models/ggml-vocab-llama-spm.gguf 20
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
model="$1"; heap="${2:-1g}"; ctx="${3:-128}"; chunks="${4:-17}"; threads="${5:-2}"; mode="${6:---layer-streaming}"
shared="${QUANT4J_SHARED:-$root/../shared}"; [ -d "$shared" ] || shared=/work/shared
text="$shared/reference/trained/tiny-shakespeare-256-heldout.txt"
quant="$root/quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant"
[ -x "$quant" ] || "$root/quant" --version >/dev/null
dd if="$model" iflag=nocache count=0 status=none     # drop the file's cached pages
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
QUANT_JAVA_OPTS="-Xmx$heap" /usr/bin/time -v -o "$log" "$quant" perplexity -m "$model" -f "$text" -c "$ctx" \
  --chunks "$chunks" -t "$threads" "$mode" 2>&1 | tail -1
size="$(stat -c %s "$model")"
awk -v size="$size" -v heap="$heap" -v mode="$mode" -F': ' '
  /File system inputs/ { r = $2 * 512 } /Maximum resident/ { m = $2 } /Elapsed/ { w = $2 }
  END { printf "%s, heap %s: read %.0f bytes from disk = %.2f x the model (%d bytes); peak RSS %d MiB; wall %s\n",
        mode, heap, r, r / size, size, m / 1024, w }' "$log"
