package dev.quant4j.eval.tokenizer;

/** A piece of the input after special tokens are split out: raw text bytes {@code [start, end)}, or one token. */
record Fragment(int start, int end, int token) {
    static Fragment text(int start, int end) {
        return new Fragment(start, end, -1);
    }

    static Fragment special(int token) {
        return new Fragment(0, 0, token);
    }

    boolean isText() {
        return token < 0;
    }
}
