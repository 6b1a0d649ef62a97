package dev.quant4j.eval.tokenizer;

/** The tokenizer algorithms, by GGUF {@code tokenizer.ggml.model} value. */
enum VocabType {
    /** {@code llama}: SentencePiece BPE over scores, byte fallback. */
    SPM,
    /** {@code gpt2}: byte-level BPE over ranked merges with a regex pre-tokenizer. */
    BPE,
    /** {@code bert}: WordPiece, longest match first. */
    WPM
}
