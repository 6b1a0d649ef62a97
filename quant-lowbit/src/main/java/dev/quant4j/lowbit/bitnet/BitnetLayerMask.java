package dev.quant4j.lowbit.bitnet;

import dev.quant4j.api.tensor.Shape;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides per tensor (llama.cpp GGUF names) what a BitNet conversion does with it, from the planning options
 * of {@link BitnetOptions}. Pure: no state beyond the options. Rules, first match wins:
 * <ol>
 *   <li>1-D tensors and norms ({@code *norm*}) are not linear weights: {@link LayerDecision.Unchanged};</li>
 *   <li>embeddings ({@code token_embd}, {@code position_embd}, {@code token_types}, {@code per_layer_token_embd}),
 *       the output head ({@code output.weight}) and MoE routers ({@code ffn_gate_inp}, also the shared-expert
 *       gate) are kept in {@code kept-precision}: {@link LayerDecision.Keep};</li>
 *   <li>tensors outside {@code tensors}: {@code Unchanged}. {@code all} selects every remaining
 *       {@code *.weight} of rank 2 or more; {@code experts-only} the routed expert FFN tensors
 *       {@code ffn_gate_exps}, {@code ffn_up_exps}, {@code ffn_down_exps}, {@code ffn_gate_up_exps} (not the
 *       dense shared experts {@code *_shexp}); patterns select names in which any of them is found;</li>
 *   <li>selected tensors whose row length is not a multiple of 256 cannot be stored in TQ blocks:
 *       {@code Keep};</li>
 *   <li>everything else: {@link LayerDecision.Ternary} in the configured layout.</li>
 * </ol>
 */
public final class BitnetLayerMask {
    private static final Pattern EMBEDDING =
            Pattern.compile("(^|\\.)(token_embd|position_embd|token_types|per_layer_token_embd)\\.");
    private static final Pattern OUTPUT_HEAD = Pattern.compile("^output\\.weight$");
    private static final Pattern ROUTER = Pattern.compile("\\.ffn_gate_inp(_shexp)?\\.");
    private static final Pattern EXPERTS = Pattern.compile("\\.ffn_(gate|up|down|gate_up)_exps\\.");
    private static final Pattern NORM = Pattern.compile("norm");

    private final BitnetOptions options;
    private final List<Pattern> patterns;

    public BitnetLayerMask(BitnetOptions options) {
        this.options = options;
        boolean keyword = options.tensors().contains(BitnetOptions.ALL)
                || options.tensors().contains(BitnetOptions.EXPERTS_ONLY);
        this.patterns = keyword ? List.of() : options.tensors().stream().map(Pattern::compile).toList();
    }

    public LayerDecision decide(String name, Shape shape) {
        if (shape.rank() < 2 || NORM.matcher(name).find()) {
            return new LayerDecision.Unchanged("not a linear weight");
        }
        if (EMBEDDING.matcher(name).find()) {
            return keep("embedding: never ternary");
        }
        if (OUTPUT_HEAD.matcher(name).find()) {
            return keep("output head: never ternary");
        }
        if (ROUTER.matcher(name).find()) {
            return keep("MoE router: never ternary");
        }
        if (!selected(name)) {
            return new LayerDecision.Unchanged("not selected by tensors=" + String.join(",", options.tensors()));
        }
        if (shape.rowLength() % BitnetOptions.BLOCK_SIZE != 0) {
            return new LayerDecision.Keep(options.keptPrecision().type(), "row length " + shape.rowLength()
                    + " is not a multiple of " + BitnetOptions.BLOCK_SIZE + ", TQ blocks cannot hold it", true);
        }
        return new LayerDecision.Ternary(options.layout().type(), "selected by tensors="
                + String.join(",", options.tensors()));
    }

    private boolean selected(String name) {
        if (options.tensors().contains(BitnetOptions.ALL)) {
            return name.endsWith(".weight");
        }
        if (options.tensors().contains(BitnetOptions.EXPERTS_ONLY)) {
            return EXPERTS.matcher(name).find();
        }
        return patterns.stream().anyMatch(p -> p.matcher(name).find());
    }

    private LayerDecision keep(String why) {
        return new LayerDecision.Keep(options.keptPrecision().type(), why);
    }
}
