package dev.quant4j.eval.tokenizer;

/**
 * Text to token ids and back, as llama.cpp's {@code llama_tokenize} / {@code llama_token_to_piece} do for the
 * vocabulary stored in a GGUF file's {@code tokenizer.ggml.*} metadata. Immutable and thread safe.
 */
public interface Tokenizer {
    /**
     * Tokenizes {@code text}.
     *
     * @param addSpecial   add BOS (and EOS) when the vocabulary asks for them ({@code tokenizer.ggml.add_bos_token})
     * @param parseSpecial recognise control/user-defined tokens written literally in the text (e.g. {@code <s>})
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** The UTF-8 bytes token {@code id} stands for when detokenized (byte tokens give their single byte). */
    byte[] pieceBytes(int id);

    int vocabSize();

    /** Begin-of-sequence id, or -1 when the vocabulary has none. */
    int bos();

    /** End-of-sequence id, or -1 when the vocabulary has none. */
    int eos();

    /** Whether {@link #encode} with {@code addSpecial} puts BOS first. */
    boolean addsBos();
}
