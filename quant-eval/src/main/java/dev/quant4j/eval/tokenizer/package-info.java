/** Tokenizers built from GGUF metadata alone: SentencePiece (SPM) and byte-level BPE with llama.cpp's pre-tokenizers. */
package dev.quant4j.eval.tokenizer;
