package dev.quant4j.eval.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text to token ids and back, as llama.cpp's {@code llama_tokenize} / {@code llama_token_to_piece} do for the
 * vocabulary stored in a GGUF file's {@code tokenizer.ggml.*} metadata. Immutable and thread safe.
 * Build one with {@link Tokenizers#fromMetadata}.
 */
public interface Tokenizer {
    /**
     * Tokenizes {@code text}.
     *
     * @param addSpecial   add BOS (and EOS) when the vocabulary asks for them ({@code tokenizer.ggml.add_bos_token})
     * @param parseSpecial recognise control/user-defined tokens written literally in the text (e.g. {@code <s>})
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * Tokenizes UTF-8 bytes exactly as llama.cpp does, malformed sequences included (a file's bytes, unlike a
     * Java string, may hold them). This default decodes to a string first, so malformed bytes become U+FFFD.
     */
    default int[] encodeUtf8(byte[] text, boolean addSpecial, boolean parseSpecial) {
        return encode(new String(text, StandardCharsets.UTF_8), addSpecial, parseSpecial);
    }

    /**
     * The first tokens of {@link #encodeUtf8}{@code (text, addSpecial, parseSpecial)}, identical to the whole
     * encoding's: at least {@code minTokens} of them, or all when the text has fewer. A run that needs only the
     * first chunks of a long text ({@code --chunks}) so skips tokenizing the rest. Tokenizers that cannot prove
     * where a text may be cut encode it whole (this default).
     */
    default int[] encodeUtf8Prefix(byte[] text, boolean addSpecial, boolean parseSpecial, int minTokens) {
        return encodeUtf8(text, addSpecial, parseSpecial);
    }

    /**
     * The UTF-8 bytes token {@code id} stands for when detokenized, as {@code llama_token_to_piece} with
     * {@code special = true} gives them: control tokens show their text, byte tokens give their single byte,
     * SentencePiece's U+2581 becomes a space.
     */
    byte[] pieceBytes(int id);

    /**
     * {@code llama_token_to_piece} with the given {@code special}: without it control tokens (BOS, EOS, chat
     * markers) give no bytes, as llama-completion prints a prompt and its output. This default knows no token
     * attributes and returns {@link #pieceBytes(int)}.
     */
    default byte[] pieceBytes(int id, boolean special) {
        return pieceBytes(id);
    }

    /** The concatenated pieces of {@code ids} decoded as UTF-8 (malformed sequences become U+FFFD). */
    default String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            out.writeBytes(pieceBytes(id));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    int vocabSize();

    /** Begin-of-sequence id, or -1 when the vocabulary has none. */
    int bos();

    /** End-of-sequence id, or -1 when the vocabulary has none. */
    int eos();

    /** Whether {@link #encode} with {@code addSpecial} puts BOS first. */
    boolean addsBos();
}
