package dev.quant4j.eval.tokenizer;

import dev.quant4j.api.tensor.Metadata;

/** Builds tokenizers from model metadata. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /**
     * The tokenizer described by the {@code tokenizer.ggml.*} keys of {@code metadata} (a vocabulary-only GGUF is
     * enough). Supported: {@code llama} (SentencePiece), {@code gpt2} (byte-level BPE, with the pre-tokenizers
     * listed in docs/tokenizers.md) and {@code bert} (WordPiece).
     *
     * @throws TokenizerException when the model or pre-tokenizer is not supported, or a value is malformed
     */
    public static Tokenizer fromMetadata(Metadata metadata) {
        return new GgufTokenizer(VocabularyLoader.load(metadata));
    }
}
