package dev.quant4j.eval.tokenizer;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;

/**
 * Tokenizer metadata that cannot be used: a tokenizer model or pre-tokenizer we do not implement, or malformed
 * {@code tokenizer.ggml.*} values. The message names the key and, for arrays, the index.
 */
public final class TokenizerException extends QuantException {
    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(ErrorCode.UNSUPPORTED_TYPE, message);
    }
}
