package dev.quant4j.eval.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@link Tokenizer} over a {@link Vocabulary}: llama.cpp's {@code llama_vocab::impl::tokenize} (special-token
 * partition, then SPM, BPE or WPM on each text fragment, BOS/EOS/SEP) and {@code token_to_piece}.
 */
final class GgufTokenizer implements Tokenizer {
    private static final String ESCAPED_SPACE = "\u00E2\u0096\u0081"; // U+2581 as a byte string

    private final Vocabulary v;
    private final SpmEncoder spm;
    private final BpeEncoder bpe;
    private final WpmEncoder wpm;

    GgufTokenizer(Vocabulary v) {
        this.v = v;
        this.spm = v.type == VocabType.SPM ? new SpmEncoder(v) : null;
        this.bpe = v.type == VocabType.BPE ? new BpeEncoder(v) : null;
        this.wpm = v.type == VocabType.WPM ? new WpmEncoder(v) : null;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        return encodeUtf8(text.getBytes(StandardCharsets.UTF_8), addSpecial, parseSpecial);
    }

    @Override
    public int[] encodeUtf8(byte[] utf8, boolean addSpecial, boolean parseSpecial) {
        return encodeUtf8Prefix(utf8, addSpecial, parseSpecial, Integer.MAX_VALUE);
    }

    /**
     * SentencePiece vocabularies whose newline never merges ({@link SpmEncoder#newlineIsBarrier}) stop at the first
     * newline after {@code minTokens}; the others encode the whole text.
     */
    @Override
    public int[] encodeUtf8Prefix(byte[] utf8, boolean addSpecial, boolean parseSpecial, int minTokens) {
        String text = new String(utf8, StandardCharsets.ISO_8859_1);
        List<Fragment> fragments = SpecialPartition.split(v, text, parseSpecial);
        Ints out = new Ints(Math.min(utf8.length / 3, minTokens) + 4);
        switch (v.type) {
            case SPM -> {
                if (addSpecial && v.flags.addBos()) {
                    out.add(required(v.special.bos(), "BOS", "tokenizer.ggml.bos_token_id"));
                }
                boolean afterSpecial = true; // SentencePiece prefixes a space at the start and after a special
                for (Fragment f : fragments) {
                    if (f.isText()) {
                        if (!encodeSpm(text, f, v.flags.addSpacePrefix() && afterSpecial, out, minTokens)) {
                            return out.toArray(); // enough tokens: the rest of the text is not needed
                        }
                        afterSpecial = false;
                    } else {
                        out.add(f.token());
                        afterSpecial = true;
                    }
                }
                if (addSpecial && v.flags.addEos()) {
                    out.add(required(v.special.eos(), "EOS", "tokenizer.ggml.eos_token_id"));
                }
            }
            case BPE -> {
                if (addSpecial && v.flags.addBos()) {
                    out.add(required(v.special.bos(), "BOS", "tokenizer.ggml.bos_token_id"));
                }
                for (Fragment f : fragments) {
                    if (f.isText()) {
                        bpe.encode(utf8, f.start(), f.end(), out);
                    } else {
                        out.add(f.token());
                    }
                }
                if (addSpecial && v.flags.addEos()) {
                    out.add(required(v.special.eos(), "EOS", "tokenizer.ggml.eos_token_id"));
                }
            }
            case WPM -> {
                if (addSpecial) {
                    out.add(required(v.special.bos(), "CLS/BOS", "tokenizer.ggml.bos_token_id"));
                }
                for (Fragment f : fragments) {
                    if (f.isText()) {
                        wpm.encode(utf8, f.start(), f.end(), out);
                    } else {
                        out.add(f.token());
                    }
                }
                if (addSpecial) {
                    out.add(required(v.special.sep(), "SEP", "tokenizer.ggml.seperator_token_id"));
                }
            }
        }
        return out.toArray();
    }

    /** Block length (raw bytes) after which a text fragment is cut at the next barrier newline. */
    private static final int SPM_BLOCK = 4096;

    /**
     * SentencePiece over text fragment {@code f}, in blocks cut after barrier newlines ({@link SpmEncoder#cutAfter}):
     * the pieces are those of the whole fragment, and smaller merge heaps are faster. Returns false when it stopped
     * at a cut with {@code out} holding {@code minTokens} or more.
     */
    private boolean encodeSpm(String text, Fragment f, boolean spacePrefix, Ints out, int minTokens) {
        int from = f.start();
        int end = f.end();
        boolean prefix = spacePrefix;
        while (from < end) {
            int to = end;
            if (spm.newlineIsBarrier) {
                for (int p = Math.min(from + SPM_BLOCK, end); p < end; p++) {
                    if (spm.cutAfter(text, f.start(), p)) {
                        to = p;
                        break;
                    }
                }
            }
            String s = (prefix ? " " : "") + text.substring(from, to);
            spm.encode(s.replace(" ", ESCAPED_SPACE), out);
            prefix = false;
            from = to;
            if (from < end && out.size() >= minTokens) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@link #encodeUtf8Prefix} can stop early (a SentencePiece vocabulary whose newline never merges). */
    boolean cutsAtNewlines() {
        return spm != null && spm.newlineIsBarrier;
    }

    private static int required(int id, String what, String key) {
        if (id < 0) {
            throw new TokenizerException("the vocabulary asks for a " + what + " token but has none (" + key + ")");
        }
        return id;
    }

    @Override
    public byte[] pieceBytes(int id) {
        if (id < 0 || id >= v.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + v.size()
                    + ")");
        }
        return piece(id); // made on demand: a run that only tokenizes needs none of the 32000 or more pieces
    }

    @Override
    public byte[] pieceBytes(int id, boolean special) {
        byte[] p = pieceBytes(id);
        return special || (v.attr[id] & TokenAttr.CONTROL) == 0 ? p : new byte[0];
    }

    /** llama_token_to_piece(special = true, lstrip = 0), a new array. */
    private byte[] piece(int id) {
        String t = v.text[id];
        int a = v.attr[id];
        if ((a & (TokenAttr.UNKNOWN | TokenAttr.CONTROL | TokenAttr.USER_DEFINED)) != 0) {
            return Vocabulary.raw(t);
        }
        if ((a & TokenAttr.NORMAL) != 0) {
            return v.type == VocabType.BPE ? byteLevelDecode(t) : Vocabulary.raw(t.replace(ESCAPED_SPACE, " "));
        }
        if ((a & TokenAttr.BYTE) != 0) {
            return new byte[] {(byte) hexByte(t)};
        }
        return new byte[0];
    }

    private static byte[] byteLevelDecode(String t) {
        byte[] raw = Vocabulary.raw(t);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int cp : Utf8.decode(raw, 0, raw.length)) {
            int b = ByteLevel.byteOf(cp);
            if (b >= 0) {
                out.write(b);
            } else { // llama.cpp's marker for a code point outside the byte alphabet
                ByteArrayOutputStream cpBytes = new ByteArrayOutputStream();
                Utf8.encode(cp, cpBytes);
                StringBuilder s = new StringBuilder("[UNK_BYTE_0x");
                for (byte x : cpBytes.toByteArray()) {
                    s.append(String.format(Locale.ROOT, "%02x", x & 0xFF));
                }
                out.writeBytes(Vocabulary.raw(s.toString()));
                out.writeBytes(raw);
                out.write(']');
            }
        }
        return out.toByteArray();
    }

    /** The byte of a {@code <0xNN>} token, read like strtol(text[3..5], 16). */
    private static int hexByte(String t) {
        int value = 0;
        for (int i = 3; i < Math.min(5, t.length()); i++) {
            int d = Character.digit(t.charAt(i), 16);
            if (d < 0) {
                break;
            }
            value = value * 16 + d;
        }
        return value;
    }

    @Override
    public int vocabSize() {
        return v.size();
    }

    @Override
    public int bos() {
        return v.special.bos();
    }

    @Override
    public int eos() {
        return v.special.eos();
    }

    @Override
    public boolean addsBos() {
        return v.type == VocabType.WPM ? v.special.bos() >= 0 : v.flags.addBos();
    }

    @Override
    public String toString() {
        return "Tokenizer[" + v.type + (v.type == VocabType.BPE ? ", pre " + v.pre : "") + ", " + v.size()
                + " tokens]";
    }
}
