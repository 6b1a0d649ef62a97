package dev.quant4j.integer.plan;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Quantizer;
import dev.quant4j.api.spi.QuantizerProvider;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.TensorEncoding;
import dev.quant4j.api.tensor.Shape;
import dev.quant4j.integer.seed.Fp8E4M3QuantizerProvider;
import dev.quant4j.integer.seed.Fp8E5M2QuantizerProvider;
import dev.quant4j.integer.seed.Int4QuantizerProvider;
import dev.quant4j.integer.seed.Int8QuantizerProvider;
import java.util.Map;
import java.util.Optional;

/**
 * What the planner knows of a method without the registry: the seed methods of this module (options and shape
 * checked by building the quantizer) and ggml types (named like their {@link DType}, rows checked against the
 * block size). The target type recorded for a seed method's custom layout is the closest ggml type: {@code I8}
 * for the one-byte codes of int8 and FP8, {@code Q4_1} (4-bit codes with a scale and a min per group) for
 * int4; the bytes are not that type's, which the plan's note says.
 */
final class MethodCatalog {
    /** A resolved method: the type recorded in the plan and a note for custom layouts. */
    record Resolved(DType target, String note) {
    }

    private final Map<String, QuantizerProvider<?>> seeds = Map.of(
            "int8", new Int8QuantizerProvider(),
            "int4", new Int4QuantizerProvider(),
            "fp8_e4m3", new Fp8E4M3QuantizerProvider(),
            "fp8_e5m2", new Fp8E5M2QuantizerProvider());

    private static final Map<String, DType> SEED_TARGETS = Map.of(
            "int8", DType.I8, "int4", DType.Q4_1, "fp8_e4m3", DType.I8, "fp8_e5m2", DType.I8);

    /**
     * Checks that {@code method} can encode {@code tensor} of {@code shape}.
     *
     * @param rule the rule that chose the method, for messages
     */
    Resolved resolve(MethodSpec method, String tensor, Shape shape, String rule, Map<String, TensorEncoding> installed) {
        QuantizerProvider<?> seed = seeds.get(method.name());
        if (seed != null) {
            Quantizer q = build(seed, method, tensor, rule);
            long bytes;
            try {
                bytes = q.encodedBytes(tensor, shape);
            } catch (QuantException e) {
                throw new QuantException(ErrorCode.INVALID_PLAN, e.getMessage() + " (chosen by " + rule + ")", e);
            }
            DType target = SEED_TARGETS.get(method.name());
            return new Resolved(target, "custom layout " + q.encoding().name() + " (" + bytes + " bytes), not ggml "
                    + target.lowerName() + " bytes");
        }
        // a ggml type by its name, or an installed quantizer (a third party's) that writes one
        Optional<DType> ggml = DType.fromName(method.name()).or(() -> installed.get(method.name()) instanceof
                TensorEncoding.Ggml g ? Optional.of(g.type()) : Optional.empty());
        if (ggml.isPresent()) {
            DType t = ggml.get();
            if (shape.rowLength() % t.blockSize() != 0) {
                throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + tensor + "': row length "
                        + shape.rowLength() + " is not a multiple of " + t.blockSize() + " required by "
                        + t.lowerName() + " (chosen by " + rule + "); choose another method for it with an override");
            }
            return new Resolved(t, "");
        }
        throw new QuantException(ErrorCode.INVALID_PLAN, "tensor '" + tensor + "': the per-layer planner cannot tell"
                + " which ggml type quantizer '" + method.name() + "' writes (chosen by " + rule + "); use a ggml"
                + " type name (q8_0, q4_k, ...) or one of " + seeds.keySet().stream().sorted().toList());
    }

    private static <O extends Record> Quantizer build(QuantizerProvider<O> p, MethodSpec method, String tensor,
                                                      String rule) {
        try {
            return p.create(p.parseOptions(method.options()));
        } catch (QuantException e) {
            throw new QuantException(e.code(), "tensor '" + tensor + "' (" + rule + "): " + e.getMessage(), e);
        }
    }
}
