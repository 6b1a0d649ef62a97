package dev.quant4j.smooth;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QuaRot/SpinQuant-style rotation of the residual stream h ← Qᵀ h (experimental). Every RMSNorm weight g is
 * first folded into the linears that read the norm (their columns times g, the norm's weight becomes ones);
 * RMSNorm then commutes with Q (‖Qᵀh‖ = ‖h‖), so the embedding's rows become e·Q, the readers' rows r·Q and the
 * writers (attn_output, ffn_down, experts alike) Qᵀ W. A tied output head is untied first, since the embedding
 * and the head then need different matrices.
 */
final class Rotate implements Transform {
    private static final Logger LOG = LoggerFactory.getLogger(Rotate.class);
    static final String OUTPUT = "output.weight";
    static final String EMBEDDING = "token_embd.weight";

    private final RotateOptions options;

    Rotate(RotateOptions options) {
        this.options = options;
    }

    @Override
    public TransformOutput apply(TransformInput in) {
        Metadata md = in.metadata();
        String arch = md.getString("general.architecture").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, "rotate: metadata key 'general.architecture' is missing"));
        if (!ResidualRoles.ARCHITECTURES.contains(arch)) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "rotate: architecture '" + arch
                    + "' is not supported (supported: " + new java.util.TreeSet<>(ResidualRoles.ARCHITECTURES) + ")");
        }
        int width = Math.toIntExact(md.getLong(arch + ".embedding_length").orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_SHAPE, "rotate: metadata key '" + arch + ".embedding_length' is missing")));
        Map<String, ResidualRoles.Role> roles = new HashMap<>(ResidualRoles.of(in, width));
        TensorInfo embedding = in.find(EMBEDDING).orElseThrow(() -> new QuantException(ErrorCode.UNSUPPORTED_SHAPE,
                "rotate: the model has no '" + EMBEDDING + "'"));
        List<TransformOutput.Added> added = List.of();
        if (in.find(OUTPUT).isEmpty()) {
            LOG.warn("rotate: the output head is tied to {}; writing an untied {} (F32, {} more bytes): the rotated"
                    + " embedding and head differ", EMBEDDING, OUTPUT, 4 * embedding.shape().elementCount());
            added = List.of(new TransformOutput.Added(OUTPUT, embedding.shape()));
            roles.put(OUTPUT, new ResidualRoles.Reader(in.find("output_norm.weight").isPresent()
                    ? "output_norm.weight" : null));
        }
        for (TensorInfo t : in.tensors()) {
            checkShape(t, roles.get(t.name()), width);
        }
        Rotation q = Rotation.of(width, options);
        LOG.info("rotate: {} rotation of the {}-channel residual stream (seed {}), {} tensors rewritten",
                q instanceof Rotation.RandomisedHadamard ? "randomised Hadamard" : "random orthogonal", width,
                options.seed(), roles.size());
        return new RotatedTensors(in, roles, q, added);
    }

    private static void checkShape(TensorInfo t, ResidualRoles.Role role, int width) {
        if (role == null) {
            return;
        }
        boolean ok = switch (role) {
            case ResidualRoles.Embedding e -> t.shape().rowLength() == width;
            case ResidualRoles.Reader r -> t.shape().rowLength() == width;
            case ResidualRoles.Writer w -> t.shape().rows() % width == 0;
            case ResidualRoles.WriterBias b -> t.shape().elementCount() == width;
            case ResidualRoles.Norm n -> t.shape().elementCount() == width;
        };
        if (!ok) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "rotate: tensor '" + t.name() + "' has shape "
                    + t.shape() + ", which does not fit a " + width + "-channel residual stream");
        }
    }
}
