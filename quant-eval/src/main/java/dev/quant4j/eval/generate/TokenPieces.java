package dev.quant4j.eval.generate;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Token id to the bytes llama.cpp prints for it ({@code llama_token_to_piece} without specials), read straight
 * from {@code tokenizer.ggml.tokens} / {@code token_type}: for SentencePiece vocabularies ({@code llama}) '▁'
 * becomes a space and {@code <0xNN>} tokens their byte; for byte-level BPE ({@code gpt2}) each character maps
 * back to its byte through GPT-2's byte-to-unicode table. Control tokens (BOS, EOS) print nothing, unknown
 * tokens print '▅' as llama.cpp does. Only detokenization: tokenizing a prompt is the tokenizer's job.
 */
public final class TokenPieces {
    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int BYTE = 6;

    private final byte[][] pieces;

    private TokenPieces(byte[][] pieces) {
        this.pieces = pieces;
    }

    public static TokenPieces fromMetadata(Metadata metadata) {
        String model = metadata.getString("tokenizer.ggml.model").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_TYPE, "metadata key 'tokenizer.ggml.model' is missing: no vocabulary"));
        boolean spm = model.equals("llama");
        if (!spm && !model.equals("gpt2")) {
            throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "tokenizer.ggml.model '" + model
                    + "' is not supported for detokenizing (llama, gpt2)");
        }
        List<MetaValue> tokens = array(metadata, "tokenizer.ggml.tokens");
        List<MetaValue> types = metadata.get("tokenizer.ggml.token_type").isPresent()
                ? array(metadata, "tokenizer.ggml.token_type") : null;
        byte[][] pieces = new byte[tokens.size()][];
        for (int i = 0; i < pieces.length; i++) {
            String text = ((MetaValue.Text) tokens.get(i)).value();
            int type = types == null ? NORMAL : (int) ((MetaValue.Int) types.get(i)).value();
            pieces[i] = switch (type) {
                case CONTROL -> new byte[0];
                case UNKNOWN -> "\u2585".getBytes(StandardCharsets.UTF_8);
                case BYTE -> spm ? new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)} : bpeBytes(text);
                default -> spm ? text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8) : bpeBytes(text);
            };
        }
        return new TokenPieces(pieces);
    }

    private static List<MetaValue> array(Metadata metadata, String key) {
        if (metadata.get(key).orElse(null) instanceof MetaValue.Array a) {
            return a.values();
        }
        throw new QuantException(ErrorCode.UNSUPPORTED_TYPE, "metadata key '" + key + "' is missing or not an array");
    }

    /** Undoes GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the rest for 256 + n. */
    private static byte[] bpeBytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] table = unicodeToByte();
        text.codePoints().forEach(cp -> {
            if (cp < table.length && table[cp] >= 0) {
                out.write(table[cp]);
            } else {
                byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(raw, 0, raw.length);
            }
        });
        return out.toByteArray();
    }

    private static int[] unicodeToByte() {
        int[] table = new int[512];
        java.util.Arrays.fill(table, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            table[printable ? b : 256 + extra++] = b;
        }
        return table;
    }

    public int size() {
        return pieces.length;
    }

    /** The bytes of token {@code id} (a copy). */
    public byte[] bytes(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "token id " + id + " is outside the vocabulary [0, "
                    + pieces.length + ")");
        }
        return pieces[id].clone();
    }

    /** The UTF-8 text of a whole sequence of tokens. */
    public String text(int... ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(bytes(id));
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
