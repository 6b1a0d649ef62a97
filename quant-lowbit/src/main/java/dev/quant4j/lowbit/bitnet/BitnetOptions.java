package dev.quant4j.lowbit.bitnet;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Options of {@code bitnet-absmean}.
 *
 * @param layout        {@code tq2_0} (default), {@code tq1_0} or {@code iq1_s}: the ggml layout written ({@code iq1_s}
 *                      encodes the ternary weights with llama.cpp's IQ1_S codebook)
 * @param blockSize     weights per absmean scale; only 256 (the TQ block) is allowed
 * @param tensors       planning: which tensors become ternary. {@code all} (every linear weight, default),
 *                      {@code experts-only} (routed MoE expert FFN tensors {@code ffn_{gate,up,down,gate_up}_exps}),
 *                      or regular expressions searched in the tensor name (comma separated; a tensor matching
 *                      any of them is converted)
 * @param keptPrecision planning: {@code f16} (default), {@code bf16} or {@code f32} for the router, the
 *                      embeddings and the output head, which are never ternary
 * @param optimizeScales {@code auto} (default: on when an importance matrix is given for the tensor), {@code true}
 *                      or {@code false}: choose each block's scale to minimise the activation-weighted error
 *                      ({@link ScaleSearch}) instead of the plain absmean
 * @see BitnetLayerMask
 */
public record BitnetOptions(TernaryLayout layout, int blockSize, List<String> tensors, KeptPrecision keptPrecision,
                            String optimizeScales) {
    public static final int BLOCK_SIZE = 256;
    public static final String ALL = "all";
    public static final String EXPERTS_ONLY = "experts-only";
    public static final String AUTO = "auto";

    public BitnetOptions {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(keptPrecision, "kept-precision");
        tensors = List.copyOf(Objects.requireNonNull(tensors, "tensors"));
        optimizeScales = optimizeScales == null || optimizeScales.isBlank() ? AUTO : optimizeScales.trim();
        if (!List.of(AUTO, "true", "false").contains(optimizeScales)) {
            throw new IllegalArgumentException("option 'optimize-scales' = '" + optimizeScales
                    + "': use auto (on with an importance matrix), true or false");
        }
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

    /** Options with {@code optimize-scales} left at auto. */
    public BitnetOptions(TernaryLayout layout, int blockSize, List<String> tensors, KeptPrecision keptPrecision) {
        this(layout, blockSize, tensors, keptPrecision, AUTO);
    }

    /** True when blocks get {@link ScaleSearch}'s scale: always, never, or (auto) when importance is given. */
    boolean optimizes(boolean importanceGiven) {
        return switch (optimizeScales) {
            case "true" -> true;
            case "false" -> false;
            default -> importanceGiven;
        };
    }

    public static BitnetOptions defaults() {
        return new BitnetOptions(TernaryLayout.TQ2_0, BLOCK_SIZE, List.of(ALL), KeptPrecision.F16, AUTO);
    }
}
