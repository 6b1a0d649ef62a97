package dev.quant4j.api.error;

import java.util.Objects;

/**
 * Unchecked domain failure. The message names the thing, the rule, the actual value and the remedy,
 * e.g. {@code tensor 'blk.3.ffn_down.weight': row length 172 is not a multiple of 256 required by q4_k}.
 */
public class QuantException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public QuantException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public QuantException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }
}
