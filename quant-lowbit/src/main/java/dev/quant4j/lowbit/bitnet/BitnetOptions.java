package dev.quant4j.lowbit.bitnet;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Options of {@code bitnet-absmean}.
 *
 * @param layout        {@code tq2_0} (default) or {@code tq1_0}: the ggml layout written
 * @param blockSize     weights per absmean scale; only 256 (the TQ block) is allowed
 * @param tensors       planning: which tensors become ternary. {@code all} (every linear weight, default),
 *                      {@code experts-only} (routed MoE expert FFN tensors {@code ffn_{gate,up,down,gate_up}_exps}),
 *                      or regular expressions searched in the tensor name (comma separated; a tensor matching
 *                      any of them is converted)
 * @param keptPrecision planning: {@code f16} (default), {@code bf16} or {@code f32} for the router, the
 *                      embeddings and the output head, which are never ternary
 * @see BitnetLayerMask
 */
public record BitnetOptions(TernaryLayout layout, int blockSize, List<String> tensors, KeptPrecision keptPrecision) {
    public static final int BLOCK_SIZE = 256;
    public static final String ALL = "all";
    public static final String EXPERTS_ONLY = "experts-only";

    public BitnetOptions {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(keptPrecision, "kept-precision");
        tensors = List.copyOf(Objects.requireNonNull(tensors, "tensors"));
        if (blockSize != BLOCK_SIZE) {
            throw new IllegalArgumentException("option 'block-size' = " + blockSize + " is not supported: the "
                    + "absmean scale is stored per " + BLOCK_SIZE + "-weight TQ block, use block-size=256");
        }
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("option 'tensors' is empty: use all, experts-only or name patterns");
        }
        boolean keyword = tensors.contains(ALL) || tensors.contains(EXPERTS_ONLY);
        if (keyword && tensors.size() > 1) {
            throw new IllegalArgumentException("option 'tensors' = " + tensors + ": " + ALL + " and "
                    + EXPERTS_ONLY + " stand alone, not mixed with other values");
        }
        if (!keyword) {
            for (String p : tensors) {
                try {
                    Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("option 'tensors': '" + p
                            + "' is not a regular expression: " + e.getDescription());
                }
            }
        }
    }

    public static BitnetOptions defaults() {
        return new BitnetOptions(TernaryLayout.TQ2_0, BLOCK_SIZE, List.of(ALL), KeptPrecision.F16);
    }
}
