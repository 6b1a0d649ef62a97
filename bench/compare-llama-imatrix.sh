#!/usr/bin/env bash
# Side by side: `quant imatrix` against llama.cpp's llama-imatrix on the same model, text, -c, --chunks and thread
# count, runs alternating (llama, quant, llama, quant, ...) so that a drifting machine load hits both alike. Prints
# per run and as medians: wall seconds, tokens/s (chunks x ctx / whole-process wall, model loading, JVM start-up
# and writing the file included), user+sys CPU seconds and peak RSS (from /usr/bin/time -v), and the ratio
# quant/llama of tokens/s.
#
#   bench/compare-llama-imatrix.sh [-l LLAMA_BIN_DIR] [-m MODEL.gguf ...] [-f TEXT] [-c CTX] [-k CHUNKS]
#                                  [-t THREADS] [-n RUNS] [-q "F16 Q8_0 Q4_K_M"] [-b "ARGS FOR BOTH"]
#                                  [-x "EXTRA QUANT ARGS"]
#
# What each computes by default (like with like): the statistics of every blk.* matmul input (output.weight not
# collected) and the perplexity of the chunks, both printed. llama-imatrix computes the logits of every position
# whatever it is asked; quant imatrix computes only the rows it needs (the scored second half of each chunk; none
# with --no-ppl unless --process-output). -b "--no-ppl" (or "--process-output") is passed to both tools.
# Models as bench/compare-llama-perplexity.sh (shared options and loop, bench/compare-llama-lib.sh): without -m the
# issue's 483 M TinyLlama-shaped model in ${BENCH_DIR:-/tmp/quant4j-bench}, F16 and the -q types. Defaults: -c 512
# -k 3 -t 2 -n 3, the held-out tiny-shakespeare text.
usage_lines=2,19
source "$(dirname "$0")/compare-llama-lib.sh"
compare_parse_options "$@"
[ -x "$llama_bin/llama-imatrix" ] || { echo "no llama-imatrix in $llama_bin (give -l LLAMA_BIN_DIR)" >&2; exit 2; }
compare_prepare_models

# shellcheck disable=SC2206
llama_cmd() { cmd=("$llama_bin/llama-imatrix" -m "$1" -f "$text" -c "$ctx" --chunks "$chunks" -t "$threads"
                   -o "$tmp/llama.imatrix.gguf" $both); }
# shellcheck disable=SC2206
quant_cmd() { cmd=("$quant" imatrix -m "$1" -f "$text" -c "$ctx" --chunks "$chunks" -t "$threads"
                   -o "$tmp/quant.imatrix.gguf" $both $extra); }
result_line() { grep -o 'Final estimate: PPL = [0-9.]*' "$tmp/out" || grep -o 'imatrix .*chunks of [0-9]*' "$tmp/out" || true; }
compare_side_by_side
