package dev.quant4j.eval.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre-tokenizer regex that llama.cpp runs through std::regex. A regex naming Unicode categories runs over the
 * collapsed text ({@link SplitText#collapsed()}) with each {@code \p{X}} rewritten to its stand-in plus the ASCII
 * members (so {@code \p{L}} is {@code [\u00D2A-Za-z]}); any other runs over the code points themselves. The
 * {@link #pattern} here is that rewritten form, written for java.util.regex: ECMAScript and Java agree on these
 * constructs ({@code \s} is ASCII whitespace in both; {@code $} is written {@code \z}). Matching is confined to
 * each piece, as llama.cpp's per-piece regex_iterator is.
 */
final class RegexSplit implements Split {
    static final String N = "\u00D10-9";
    static final String L = "\u00D2A-Za-z";
    static final String P = "\u00D3!-#%-*,-/:-;?-@\\[-\\]_{}";

    private final Pattern pattern;
    private final boolean collapsed;

    private RegexSplit(String regex, boolean collapsed) {
        this.pattern = Pattern.compile(regex);
        this.collapsed = collapsed;
    }

    /** A regex over the collapsed text (the original named \p{..} categories). */
    static RegexSplit collapsed(String regex) {
        return new RegexSplit(regex, true);
    }

    /** A regex over the code points. */
    static RegexSplit plain(String regex) {
        return new RegexSplit(regex, false);
    }

    @Override
    public Ints apply(SplitText text, Ints pieces) {
        Ints out = new Ints(pieces.size() * 2);
        String s = collapsed ? text.collapsed() : text.wide();
        Matcher m = pattern.matcher(s);
        int start = 0;
        for (int p = 0; p < pieces.size(); p++) {
            int end = start + pieces.get(p);
            m.region(toChar(text, start), toChar(text, end));
            int last = start;
            while (m.find()) {
                int ms = toCodepoint(text, m.start());
                int me = toCodepoint(text, m.end());
                if (ms > last) {
                    out.add(ms - last);
                }
                out.add(me - ms);
                last = me;
            }
            if (last < end) {
                out.add(end - last);
            }
            start = end;
        }
        return out;
    }

    private int toChar(SplitText text, int cp) {
        return collapsed ? cp : text.wideChar(cp);
    }

    private int toCodepoint(SplitText text, int c) {
        return collapsed ? c : text.wideCodepoint(c);
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }
}
