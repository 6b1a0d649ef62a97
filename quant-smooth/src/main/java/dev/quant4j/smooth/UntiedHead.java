package dev.quant4j.smooth;

import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model whose output head is tied to {@code token_embd} seen as if it had its own {@code output.weight} (a copy
 * of the embedding, with the statistics the forward pass collected for the head under the embedding's name), so
 * that the head can be scaled without touching the embedding; the transform then adds the head as a new tensor.
 */
final class UntiedHead implements TransformInput {
    static final String OUTPUT = "output.weight";
    static final String EMBEDDING = "token_embd.weight";
    private static final Logger LOG = LoggerFactory.getLogger(UntiedHead.class);

    private final TransformInput in;
    private final List<TensorInfo> tensors;

    private UntiedHead(TransformInput in, TensorInfo embedding) {
        this.in = in;
        List<TensorInfo> t = new ArrayList<>(in.tensors());
        t.add(new TensorInfo(OUTPUT, embedding.type(), embedding.shape(), 0, embedding.byteSize()));
        this.tensors = List.copyOf(t);
    }

    /** {@code in} itself when it has an output head (or no embedding), else the untied view (with a warning). */
    static TransformInput of(TransformInput in, String transform) {
        if (in.find(OUTPUT).isPresent() || in.find(EMBEDDING).isEmpty()) {
            return in;
        }
        TensorInfo e = in.find(EMBEDDING).orElseThrow();
        LOG.warn("{}: the output head is tied to {}; writing an untied {} (F32, {} more bytes) when it is scaled", transform,
                EMBEDDING, OUTPUT, 4 * e.shape().elementCount());
        return new UntiedHead(in, e);
    }

    /** The tensors a transform over {@code in} adds: the untied head, if {@code in} is an untied view. */
    static List<TransformOutput.Added> added(TransformInput in) {
        return in instanceof UntiedHead u
                ? List.of(new TransformOutput.Added(OUTPUT, u.find(OUTPUT).orElseThrow().shape())) : List.of();
    }

    @Override
    public Metadata metadata() {
        return in.metadata();
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public TensorView view(String name) {
        return in.view(name.equals(OUTPUT) ? EMBEDDING : name);
    }

    /** The host's statistics plus the head's under {@link #OUTPUT}, each read when asked (they may sit in a file). */
    @Override
    public Map<String, ChannelStats> stats() {
        Map<String, ChannelStats> base = in.stats();
        return new AbstractMap<>() {
            @Override
            public ChannelStats get(Object key) {
                return base.get(OUTPUT.equals(key) ? EMBEDDING : key);
            }

            @Override
            public boolean containsKey(Object key) {
                return base.containsKey(OUTPUT.equals(key) ? EMBEDDING : key);
            }

            @Override
            public Set<Entry<String, ChannelStats>> entrySet() {
                Map<String, ChannelStats> all = new LinkedHashMap<>(base);
                if (all.containsKey(EMBEDDING)) {
                    all.put(OUTPUT, all.get(EMBEDDING));
                }
                return all.entrySet();
            }
        };
    }

    /** The head's matmul reads the embedding matrix: its statistics are the ones collected under that name. */
    @Override
    public Optional<ChannelStats> stats(String name) {
        return in.stats(OUTPUT.equals(name) ? EMBEDDING : name);
    }

    /** The head's planned quantizer; a tied model's plan names it under the embedding's name. */
    @Override
    public Optional<QuantTarget> target(String name) {
        return name.equals(OUTPUT) ? in.target(OUTPUT).or(() -> in.target(EMBEDDING)) : in.target(name);
    }
}
