package dev.quant4j.eval.tokenizer;

/**
 * One pre-tokenizer regex of llama.cpp's {@code unicode_regex_split}: it refines every current piece into the
 * regex's matches and the gaps between them (both kept). Pieces are code-point lengths, in order.
 */
sealed interface Split permits Gpt2Split, Llama3Split, RegexSplit {
    Ints apply(SplitText text, Ints pieces);
}
