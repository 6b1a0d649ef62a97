#!/usr/bin/env bash
# Side by side: `quant perplexity` against llama.cpp's llama-perplexity on the same model, text and thread count,
# runs alternating (llama, quant, llama, quant, ...) so that a drifting machine load hits both alike. Prints per
# run and as medians: wall seconds, tokens/s (chunks x ctx / whole-process wall, model loading and JVM start-up
# included), user+sys CPU seconds and peak RSS (from /usr/bin/time -v), and the ratio quant/llama of tokens/s.
#
#   bench/compare-llama-perplexity.sh [-l LLAMA_BIN_DIR] [-m MODEL.gguf ...] [-f TEXT] [-c CTX] [-k CHUNKS]
#                                     [-t THREADS] [-n RUNS] [-q "F16 Q8_0 Q4_K_M"] [-x "EXTRA QUANT ARGS"]
#
# Without -m it generates the issue's benchmark model once into ${BENCH_DIR:-/tmp/quant4j-bench}: the demo
# generator's TinyLlama shapes, 8 layers, 483 M parameters, F16, with the llama SPM vocabulary of ../shared/models
# (bench/TinyLlamaModel.java), and the types of -q with llama-quantize. Defaults: -c 512 -k 3 -t 2 -n 3, the
# held-out tiny-shakespeare text; about 6 minutes on an idle 2-core machine for all three types.
# The options, models and timing loop are shared with bench/compare-llama-imatrix.sh (bench/compare-llama-lib.sh).
usage_lines=2,15
source "$(dirname "$0")/compare-llama-lib.sh"
compare_parse_options "$@"
[ -x "$llama_bin/llama-perplexity" ] || { echo "no llama-perplexity in $llama_bin (give -l LLAMA_BIN_DIR)" >&2; exit 2; }
compare_prepare_models

llama_cmd() { cmd=("$llama_bin/llama-perplexity" -m "$1" -f "$text" -c "$ctx" --chunks "$chunks" -t "$threads"); }
# shellcheck disable=SC2206
quant_cmd() { cmd=("$quant" perplexity -m "$1" -f "$text" -c "$ctx" --chunks "$chunks" -t "$threads" $extra); }
result_line() { grep -o 'Final estimate: PPL = [0-9.]*' "$tmp/out" || true; }
compare_side_by_side
