package dev.quant4j.eval.tokenizer;

import java.util.List;

/**
 * A BPE pre-tokenizer of llama.cpp 34af94cd ({@code llm_tokenizer_bpe}): the regexes applied one after another,
 * and the switches the same {@code tokenizer.ggml.pre} value sets in {@code llama_vocab::impl::load}.
 *
 * @param kind         llama.cpp's pre-tokenizer type this name maps to (several names share one)
 * @param splits       the regexes, in order
 * @param ignoreMerges a pre-token that is itself a token is emitted whole (llama-bpe)
 * @param addBos       add BOS by default (before {@code tokenizer.ggml.add_bos_token} is read)
 * @param noBos        the BOS id is cleared (chatglm)
 */
record PreTokenizer(String kind, List<Split> splits, boolean ignoreMerges, boolean addBos, boolean noBos) {
    private static final String N = "[" + RegexSplit.N + "]";

    static PreTokenizer gpt2(String kind) {
        return new PreTokenizer(kind, List.of(new Gpt2Split()), false, false, false);
    }

    static PreTokenizer llama3(String kind, boolean llama3Switches) {
        return new PreTokenizer(kind, List.of(new Llama3Split(3)), llama3Switches, llama3Switches, false);
    }

    static PreTokenizer chatglm4() {
        return new PreTokenizer("chatglm4", List.of(new Llama3Split(3)), false, false, true);
    }

    static PreTokenizer qwen2(String kind) {
        return new PreTokenizer(kind, List.of(new Llama3Split(1)), false, false, false);
    }

    static PreTokenizer starcoder(String kind) {
        return new PreTokenizer(kind, List.of(RegexSplit.collapsed(N), new Gpt2Split()), false, false, false);
    }

    static PreTokenizer falcon() {
        return new PreTokenizer("falcon", List.of(
                RegexSplit.collapsed("[" + RegexSplit.P + "\\$\\+<=>\\^~\\|`]+"),
                new Gpt2Split(),
                RegexSplit.plain("[0-9][0-9][0-9]")), false, false, false);
    }

    static PreTokenizer defaults() {
        return new PreTokenizer("default", List.of(
                RegexSplit.collapsed("[" + RegexSplit.P + "\\$\\+<=>\\^~\\|]+"),
                new Gpt2Split(),
                RegexSplit.collapsed(N + "+"),
                RegexSplit.plain("[0-9][0-9][0-9]")), false, false, false);
    }

    static PreTokenizer deepseekLlm() {
        return new PreTokenizer("deepseek-llm", List.of(
                RegexSplit.plain("[\\r\\n]"),
                RegexSplit.plain("\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\uD801\uDC00-\uD801\uDC4F\uD801\uDCB0-\uD801\uDCD3\uD801\uDCD8-\uD801\uDCFB\uD803\uDC80-\uD803\uDCB2\uD803\uDCC0-\uD803\uDCF2\uD806\uDCA0-\uD806\uDCDF\uD83A\uDD00-\uD83A\uDD43]+"),
                RegexSplit.plain("\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+"),
                RegexSplit.plain("\\s+\\z"),
                RegexSplit.plain("[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+"),
                RegexSplit.collapsed(N + "+")), false, false, false);
    }

    static PreTokenizer deepseekCoder() {
        return new PreTokenizer("deepseek-coder", List.of(
                RegexSplit.plain("[\\r\\n]"),
                RegexSplit.collapsed("\\s?[" + RegexSplit.L + "]+"),
                RegexSplit.collapsed("\\s?[" + RegexSplit.P + "]+"),
                RegexSplit.plain("[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+"),
                RegexSplit.collapsed(N)), false, false, false);
    }
}
