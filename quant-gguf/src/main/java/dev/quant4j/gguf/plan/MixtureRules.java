package dev.quant4j.gguf.plan;

import static dev.quant4j.api.tensor.DType.IQ2_S;
import static dev.quant4j.api.tensor.DType.IQ2_XXS;
import static dev.quant4j.api.tensor.DType.IQ3_S;
import static dev.quant4j.api.tensor.DType.IQ3_XXS;
import static dev.quant4j.api.tensor.DType.MXFP4;
import static dev.quant4j.api.tensor.DType.Q2_K;
import static dev.quant4j.api.tensor.DType.Q3_K;
import static dev.quant4j.api.tensor.DType.Q4_1;
import static dev.quant4j.api.tensor.DType.Q4_K;
import static dev.quant4j.api.tensor.DType.Q5_1;
import static dev.quant4j.api.tensor.DType.Q5_K;
import static dev.quant4j.api.tensor.DType.Q6_K;
import static dev.quant4j.api.tensor.DType.Q8_0;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.Shape;

/**
 * llama.cpp's per-tensor mixture rules (mixtures.md section 4, rules A to L), with the layer counters they
 * advance. One instance plans one model; tensors must be offered in loader order. Not thread safe.
 */
final class MixtureRules {
    private final Ftype ftype;
    private final ModelFacts facts;
    private final int nAttentionWv;
    private final boolean hasImatrix;
    private final boolean tied;
    private final DType outputTensorType;
    private int iAttentionWv;
    private int iFfnDown;
    private int iFfnGate;
    private int iFfnUp;

    MixtureRules(Ftype ftype, ModelFacts facts, int nAttentionWv, boolean hasImatrix, boolean tied,
                 DType outputTensorType) {
        this.ftype = ftype;
        this.facts = facts;
        this.nAttentionWv = nAttentionWv;
        this.hasImatrix = hasImatrix;
        this.tied = tied;
        this.outputTensorType = outputTensorType;
    }

    static boolean useMoreBits(int i, int n) {
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    }

    /** The type for a quantizable tensor whose type so far is {@code t} (the file type's default). */
    Choice apply(DType t, String name, Shape shape, Category cat) {
        if (cat == Category.OUTPUT || (tied && cat == Category.TOKEN_EMBD)) {
            return output(t, shape, cat);
        }
        if (ftype == Ftype.MXFP4_MOE) {
            boolean expertRole = cat == Category.FFN_UP || cat == Category.FFN_GATE || cat == Category.FFN_DOWN;
            return shape.ne(2) > 1 && (!facts.arch().equals("bailingmoe3") || expertRole)
                    ? new Choice(MXFP4, "MXFP4_MOE: stacked experts")
                    : new Choice(Q8_0, "MXFP4_MOE: non-expert tensor");
        }
        if (cat == Category.TOKEN_EMBD) {
            return tokenEmbedding(t);
        }
        if (ftype.in(Ftype.IQ2_XXS, Ftype.IQ2_XS, Ftype.IQ1_S, Ftype.IQ2_S, Ftype.IQ2_M, Ftype.IQ1_M)) {
            return veryLowBit(t, cat);
        }
        if (cat.isAttnVLike()) {
            return attnV(t);
        }
        return switch (cat) {
            case ATTN_K -> attnK(t);
            case ATTN_Q -> attnQ(t);
            case FFN_DOWN -> ffnDown(t, name);
            case ATTN_OUTPUT -> attnOutput(t);
            case FFN_GATE -> gateOrUp(t, name, iFfnGate++, "ffn_gate");
            case FFN_UP -> gateOrUp(t, name, iFfnUp++, "ffn_up");
            // the separate attn_qkv rule upstream is unreachable: attn_qkv is attn_v-like and handled above
            default -> new Choice(t, "default");
        };
    }

    /** Rule A: output.weight, and token_embd.weight when the output is tied to it. */
    private Choice output(DType t, Shape shape, Category cat) {
        String what = cat == Category.OUTPUT ? "output" : "tied token_embd";
        if (outputTensorType != null) {
            return new Choice(outputTensorType, what + ": output-tensor-type");
        } else if (ftype == Ftype.MXFP4_MOE) {
            return new Choice(Q8_0, what + ": MXFP4_MOE");
        } else if (facts.isFalcon()) {
            return new Choice(Q8_0, what + ": falcon");
        } else if (shape.rowLength() % t.blockSize() != 0) {
            return new Choice(Q8_0, what + ": row length not a multiple of " + t.ggmlName() + "'s block");
        } else if (ftype.in(Ftype.IQ2_XXS, Ftype.IQ2_XS, Ftype.IQ3_XXS, Ftype.IQ1_S, Ftype.IQ2_S, Ftype.IQ2_M,
                Ftype.IQ1_M)) {
            return new Choice(Q5_K, what + ": very low-bit file type");
        } else if (t != Q8_0) {
            return new Choice(Q6_K, what + ": q6_K");
        }
        return new Choice(t, what + ": default");
    }

    /** Rule C: an untied token embedding. */
    private Choice tokenEmbedding(DType t) {
        if (ftype.in(Ftype.IQ2_XXS, Ftype.IQ2_XS, Ftype.IQ1_S, Ftype.IQ1_M)) {
            return new Choice(Q2_K, "token_embd: very low-bit file type");
        } else if (ftype.in(Ftype.IQ2_S, Ftype.IQ2_M, Ftype.IQ3_XXS)) {
            return new Choice(IQ3_S, "token_embd: " + ftype);
        } else if (ftype.in(Ftype.TQ1_0, Ftype.TQ2_0, Ftype.Q2_0)) {
            return new Choice(Q4_K, "token_embd: " + ftype);
        }
        return new Choice(t, "token_embd: default");
    }

    /** Rule D: IQ1/IQ2 file types. */
    private Choice veryLowBit(DType t, Category cat) {
        boolean s = ftype.in(Ftype.IQ2_S, Ftype.IQ2_M);
        if (cat.isAttnVLike()) {
            iAttentionWv++;
            return facts.nGqa() >= 4 || facts.nExpert() >= 4
                    ? new Choice(Q4_K, "attn_v: " + ftype + " with n_gqa >= 4 or >= 4 experts")
                    : new Choice(s ? IQ3_S : Q2_K, "attn_v: " + ftype);
        } else if (facts.nExpert() == 8 && cat == Category.ATTN_K) {
            return new Choice(Q4_K, "attn_k: " + ftype + " with 8 experts");
        } else if (cat == Category.FFN_DOWN) {
            int i = iFfnDown++;
            return i < facts.nLayer() / 8
                    ? new Choice(s ? IQ3_S : Q2_K, "ffn_down: " + ftype + " first eighth (" + i + ")")
                    : new Choice(t, "ffn_down: default");
        } else if (cat == Category.ATTN_OUTPUT) {
            if (facts.nExpert() == 8) {
                return new Choice(Q5_K, "attn_output: " + ftype + " with 8 experts");
            } else if (ftype.in(Ftype.IQ1_S, Ftype.IQ1_M)) {
                return new Choice(IQ2_XXS, "attn_output: " + ftype);
            } else if (s) {
                return new Choice(IQ3_S, "attn_output: " + ftype);
            }
        }
        return new Choice(t, "default");
    }

    /** Rule E: attn_v, attn_qkv, attn_kv_b. */
    private Choice attnV(DType t) {
        long gqa = facts.nGqa();
        int i = iAttentionWv++;
        DType r = t;
        String why = "default";
        if (ftype == Ftype.Q2_K) {
            r = gqa >= 4 ? Q4_K : Q3_K;
            why = "Q2_K, n_gqa " + gqa;
        } else if (ftype == Ftype.Q2_K_S && gqa >= 4) {
            r = Q4_K;
            why = "Q2_K_S, n_gqa >= 4";
        } else if (ftype == Ftype.IQ3_XXS) {
            r = gqa >= 4 ? Q4_K : hasImatrix ? IQ3_XXS : IQ3_S;
            why = "IQ3_XXS, n_gqa " + gqa + (hasImatrix ? ", imatrix" : ", no imatrix");
        } else if (ftype.in(Ftype.IQ3_XS, Ftype.IQ3_S) && gqa >= 4) {
            r = Q4_K;
            why = ftype + ", n_gqa >= 4";
        } else if (ftype == Ftype.IQ3_M) {
            r = Q4_K;
            why = "IQ3_M";
        } else if (ftype == Ftype.Q3_K_M) {
            r = i < 2 ? Q5_K : Q4_K;
            why = "Q3_K_M (layer " + i + " of " + nAttentionWv + ")";
        } else if (ftype == Ftype.Q3_K_L) {
            r = Q5_K;
            why = "Q3_K_L";
        } else if (ftype.in(Ftype.IQ4_NL, Ftype.IQ4_XS) && gqa >= 4) {
            r = Q5_K;
            why = ftype + ", n_gqa >= 4";
        } else if (ftype.in(Ftype.Q4_K_M, Ftype.Q5_K_M) && useMoreBits(i, nAttentionWv)) {
            r = Q6_K;
            why = ftype + " use_more_bits (layer " + i + " of " + nAttentionWv + ")";
        } else if (ftype == Ftype.Q4_K_S && i < 4) {
            r = Q5_K;
            why = "Q4_K_S first layers (layer " + i + " of " + nAttentionWv + ")";
        }
        if (facts.is70B() && (r == Q3_K || r == Q4_K)) {
            r = Q5_K;
            why += ", 70B bump";
        }
        if (facts.nExpert() == 8) {
            r = Q8_0;
            why = "8 experts";
        }
        return new Choice(r, "attn_v: " + why);
    }

    /** Rule F. */
    private Choice attnK(DType t) {
        if (facts.nExpert() == 8) {
            return new Choice(Q8_0, "attn_k: 8 experts");
        } else if (ftype == Ftype.IQ3_XS) {
            return new Choice(IQ3_XXS, "attn_k: IQ3_XS");
        } else if (ftype == Ftype.IQ3_XXS) {
            return new Choice(IQ2_S, "attn_k: IQ3_XXS");
        }
        return new Choice(t, "default");
    }

    /** Rule G. */
    private Choice attnQ(DType t) {
        if (ftype == Ftype.IQ3_XS) {
            return new Choice(IQ3_XXS, "attn_q: IQ3_XS");
        } else if (ftype == Ftype.IQ3_XXS) {
            return new Choice(IQ2_S, "attn_q: IQ3_XXS");
        }
        return new Choice(t, "default");
    }

    /** Rule H. */
    private Choice ffnDown(DType t, String name) {
        int i = layer(iFfnDown++, name);
        int n = facts.nLayer();
        boolean falcon = facts.isFalcon();
        String at = " (layer " + i + " of " + n + ")";
        if (ftype == Ftype.Q2_K) {
            return new Choice(Q3_K, "ffn_down: Q2_K");
        } else if (ftype == Ftype.Q2_K_S) {
            return i < n / 8 ? new Choice(Q4_K, "ffn_down: Q2_K_S first eighth" + at) : new Choice(t, "default");
        } else if (ftype == Ftype.IQ3_XXS && !hasImatrix) {
            return new Choice(i < n / 8 ? Q4_K : Q3_K, "ffn_down: IQ3_XXS without imatrix" + at);
        } else if (ftype == Ftype.Q3_K_M) {
            DType r = i < n / 16 ? Q5_K : !falcon || useMoreBits(i, n) ? Q4_K : Q3_K;
            return new Choice(r, "ffn_down: Q3_K_M" + at);
        } else if (ftype == Ftype.IQ3_M && (i < n / 8 || (facts.nExpert() == 8 && useMoreBits(i, n)))) {
            return new Choice(Q4_K, "ffn_down: IQ3_M" + at);
        } else if (ftype == Ftype.Q3_K_L) {
            return new Choice(falcon ? Q4_K : Q5_K, "ffn_down: Q3_K_L");
        } else if (ftype == Ftype.Q4_K_M) {
            if (falcon) {
                DType r = i < n / 16 ? Q6_K : useMoreBits(i, n) ? Q5_K : Q4_K;
                return new Choice(r, "ffn_down: Q4_K_M falcon" + at);
            }
            return useMoreBits(i, n) ? new Choice(Q6_K, "ffn_down: Q4_K_M use_more_bits" + at)
                    : new Choice(t, "default");
        } else if (i < n / 8 && ftype.in(Ftype.IQ4_NL, Ftype.IQ4_XS) && !hasImatrix) {
            return new Choice(Q5_K, "ffn_down: " + ftype + " first eighth without imatrix" + at);
        } else if (ftype == Ftype.Q5_K_M && useMoreBits(i, n)) {
            return new Choice(Q6_K, "ffn_down: Q5_K_M use_more_bits" + at);
        } else if (ftype == Ftype.Q4_K_S && !falcon && i < n / 8) {
            return new Choice(Q5_K, "ffn_down: Q4_K_S first eighth" + at);
        } else if (ftype.in(Ftype.Q4_0, Ftype.Q5_0) && hasImatrix && i < n / 8) {
            return new Choice(ftype == Ftype.Q4_0 ? Q4_1 : Q5_1, "ffn_down: " + ftype + " with imatrix, first eighth"
                    + at);
        }
        return new Choice(t, "default");
    }

    /** Rule I. */
    private Choice attnOutput(DType t) {
        if (!facts.isFalcon()) {
            if (facts.nExpert() == 8) {
                if (ftype.in(Ftype.Q2_K, Ftype.IQ3_XS, Ftype.IQ3_XXS, Ftype.Q3_K_S, Ftype.Q3_K_M, Ftype.IQ4_NL,
                        Ftype.Q4_K_S, Ftype.Q4_K_M, Ftype.IQ3_S, Ftype.IQ3_M, Ftype.IQ4_XS)) {
                    return new Choice(Q5_K, "attn_output: " + ftype + " with 8 experts");
                }
            } else {
                DType r = switch (ftype) {
                    case Q2_K -> Q3_K;
                    case IQ3_XXS -> IQ3_S;
                    case Q3_K_M, IQ3_M -> Q4_K;
                    case Q3_K_L -> Q5_K;
                    default -> null;
                };
                if (r != null) {
                    return new Choice(r, "attn_output: " + ftype);
                }
            }
        } else if (ftype == Ftype.Q3_K_L) {
            return new Choice(Q4_K, "attn_output: Q3_K_L falcon");
        }
        return new Choice(t, "default");
    }

    /** Rules K and L. */
    private Choice gateOrUp(DType t, String name, int counter, String what) {
        int i = layer(counter, name);
        int n = facts.nLayer();
        if (ftype == Ftype.IQ3_XS && i >= n / 8 && i < 7 * n / 8) {
            return new Choice(IQ3_XXS, what + ": IQ3_XS middle layers (layer " + i + " of " + n + ")");
        }
        return new Choice(t, "default");
    }

    /** The layer an FFN rule uses: the counter, or for MoE models the number in the tensor's name. */
    private int layer(int counter, String name) {
        if (Math.max(1, facts.nExpert()) <= 1) {
            return counter;
        }
        int layer = LoaderOrder.layerOf(name);
        if (!name.startsWith("blk.") || layer < 0 || layer >= facts.nLayer()) {
            throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + name + "': cannot determine its layer "
                    + "(a MoE model's FFN tensors need a blk.N. prefix with 0 <= N < " + facts.nLayer() + ")");
        }
        return layer;
    }

    @Override
    public String toString() {
        return "MixtureRules[" + ftype + "]";
    }
}
