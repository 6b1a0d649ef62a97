// Dumps llama.cpp's logits for a list of token ids: one llama_decode of all ids (positions 0..n-1, logits for
// every position), F32 K/V cache and flash attention off unless told otherwise, 2 threads. Writes the rows
// named on the command line as float32 little-endian, row-major [rows][n_vocab].
//   llama-logits MODEL.gguf IDS.txt OUT.f32 ROW[,ROW...] [f16]
// IDS.txt: one decimal id per line. "f16" = llama.cpp's defaults (F16 K/V cache, flash attention auto).
#include "llama.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char ** argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s MODEL IDS OUT ROW[,ROW...] [f16]\n", argv[0]);
        return 2;
    }
    int defaults = argc > 5 && strcmp(argv[5], "f16") == 0;
    llama_token ids[4096];
    int n = 0;
    FILE * in = fopen(argv[2], "r");
    if (!in) { perror(argv[2]); return 1; }
    while (n < 4096 && fscanf(in, "%d", &ids[n]) == 1) n++;
    fclose(in);

    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    struct llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = cp.n_batch = cp.n_ubatch = 256;
    cp.n_seq_max = 1;
    cp.n_threads = cp.n_threads_batch = 2;
    if (!defaults) {
        cp.type_k = GGML_TYPE_F32;
        cp.type_v = GGML_TYPE_F32;
        cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    }
    struct llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "cannot create a context\n"); return 1; }

    struct llama_batch batch = llama_batch_init(n, 0, 1);
    for (int i = 0; i < n; i++) {
        batch.token[i] = ids[i];
        batch.pos[i] = i;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = 1;
    }
    batch.n_tokens = n;
    if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "llama_decode failed\n"); return 1; }

    int vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    FILE * out = fopen(argv[3], "wb");
    if (!out) { perror(argv[3]); return 1; }
    char * rows = strdup(argv[4]);
    for (char * r = strtok(rows, ","); r; r = strtok(NULL, ",")) {
        fwrite(llama_get_logits_ith(ctx, atoi(r)), sizeof(float), vocab, out);
    }
    fclose(out);
    free(rows);
    llama_batch_free(batch);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
