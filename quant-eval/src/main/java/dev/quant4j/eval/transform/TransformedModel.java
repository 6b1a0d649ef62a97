package dev.quant4j.eval.transform;

import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.QuantTarget;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformInput;
import dev.quant4j.api.spi.TransformOutput;
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.api.tensor.DType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.TensorInfo;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An open model seen through a chain of transforms. Immutable: {@link #then} returns the next link. Replaced
 * tensors are recomputed (as F32) each time they are viewed, so only the tensor being read is in memory.
 * Statistics are carried along, rescaled by each transform's {@link TransformOutput#inputScale} so every
 * transform sees the statistics of the model it transforms.
 */
public final class TransformedModel implements TransformInput {
    private final ModelReader reader;
    private final Metadata metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TransformOutput> owners;
    private final Map<String, float[]> inputScales;
    private final Map<String, ChannelStats> stats;
    private final Map<String, QuantTarget> targets;
    private final Set<String> mixed;

    private TransformedModel(ModelReader reader, Metadata metadata, List<TensorInfo> tensors,
                             Map<String, TransformOutput> owners, Map<String, float[]> inputScales,
                             Map<String, ChannelStats> stats, Map<String, QuantTarget> targets, Set<String> mixed) {
        this.reader = reader;
        this.mixed = Set.copyOf(mixed);
        this.targets = Map.copyOf(targets);
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        this.owners = Map.copyOf(owners);
        this.inputScales = Map.copyOf(inputScales);
        this.stats = Map.copyOf(stats);
    }

    /** The model as read, with calibration statistics collected on it. */
    public static TransformedModel of(ModelReader reader, Map<String, ChannelStats> stats) {
        return new TransformedModel(reader, reader.metadata(), reader.tensors(), Map.of(), Map.of(), stats, Map.of(),
                Set.of());
    }

    /** This model with the quantizers its weights will be written with (for transforms that search, e.g. AWQ). */
    public TransformedModel withTargets(Map<String, QuantTarget> quantizers) {
        return new TransformedModel(reader, metadata, tensors, owners, inputScales, stats, quantizers, mixed);
    }

    /** Applies {@code transform} to this model. */
    public TransformedModel then(Transform transform) {
        TransformOutput out = transform.apply(this);
        Metadata md = metadata;
        for (Map.Entry<String, MetaValue> e : out.metadataChanges().entrySet()) {
            md = md.with(e.getKey(), e.getValue());
        }
        Map<String, TransformOutput> own = new HashMap<>(owners);
        List<TensorInfo> infos = new ArrayList<>();
        for (TensorInfo t : tensors) {
            if (out.replaced().contains(t.name())) {
                own.put(t.name(), out);
                infos.add(new TensorInfo(t.name(), DType.F32, t.shape(), 0, TensorInfo.byteSize(DType.F32, t.shape())));
            } else {
                infos.add(t);
            }
        }
        for (String name : out.replaced()) {
            if (infos.stream().noneMatch(t -> t.name().equals(name))) {
                throw new IllegalStateException("transform replaced '" + name + "', which the model does not have");
            }
        }
        for (TransformOutput.Added a : out.added()) {
            if (infos.stream().anyMatch(t -> t.name().equals(a.name()))) {
                throw new IllegalStateException("transform added '" + a.name() + "', which the model already has");
            }
            own.put(a.name(), out);
            infos.add(new TensorInfo(a.name(), DType.F32, a.shape(), 0, TensorInfo.byteSize(DType.F32, a.shape())));
        }
        Map<String, float[]> scales = new HashMap<>(inputScales);
        Map<String, ChannelStats> st = new LinkedHashMap<>(stats);
        Set<String> mixedNow = new HashSet<>(mixed);
        for (String w : out.mixedInputs()) { // statistics of the old inputs describe nothing now
            mixedNow.add(w);
            st.remove(w);
            st.keySet().removeIf(k -> k.startsWith(w + "#"));
            scales.remove(w);
        }
        // weights sharing one input share one statistics object and get the same factors: rescale it once
        Map<ChannelStats, Map.Entry<float[], ChannelStats>> done = new java.util.IdentityHashMap<>();
        for (TensorInfo t : infos) {
            Optional<float[]> c = out.inputScale(t.name());
            if (c.isEmpty()) {
                continue;
            }
            scales.merge(t.name(), c.get(), TransformedModel::times);
            ChannelStats s = st.get(t.name());
            if (s != null) {
                Map.Entry<float[], ChannelStats> prev = done.get(s);
                ChannelStats r = prev != null && java.util.Arrays.equals(prev.getKey(), c.get()) ? prev.getValue()
                        : rescale(s, c.get());
                done.putIfAbsent(s, Map.entry(c.get(), r));
                st.put(t.name(), r);
            }
        }
        for (Map.Entry<String, ChannelStats> e : List.copyOf(st.entrySet())) { // experts' statistics (weight#e)
            int hash = e.getKey().lastIndexOf('#');
            Optional<float[]> c = hash < 0 ? Optional.empty() : out.inputScale(e.getKey().substring(0, hash));
            if (c.isPresent()) {
                float[] slice = expertSlice(c.get(), e.getValue().columns(),
                        Integer.parseInt(e.getKey().substring(hash + 1)));
                Map.Entry<float[], ChannelStats> prev = done.get(e.getValue());
                ChannelStats r = prev != null && java.util.Arrays.equals(prev.getKey(), slice) ? prev.getValue()
                        : rescale(e.getValue(), slice);
                done.putIfAbsent(e.getValue(), Map.entry(slice, r));
                st.put(e.getKey(), r);
            }
        }
        return new TransformedModel(reader, md, infos, own, scales, st, targets, mixedNow);
    }

    /**
     * Expert {@code expert}'s factors from a 3-D weight's input factors: one vector for every expert (the
     * experts' shared input was scaled) or one after another per expert.
     */
    static float[] expertSlice(float[] c, int columns, int expert) {
        return c.length == columns ? c : java.util.Arrays.copyOfRange(c, expert * columns, (expert + 1) * columns);
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public TensorView view(String name) {
        TransformOutput owner = owners.get(name);
        if (owner != null) {
            return owner.tensor(name);
        }
        TensorInfo t = reader.tensors().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor '" + name + "' in " + reader.path()));
        try {
            return reader.view(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, ChannelStats> stats() {
        return stats;
    }

    @Override
    public Optional<QuantTarget> target(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** Whether tensor {@code name} differs from the file's. */
    public boolean isReplaced(String name) {
        return owners.containsKey(name);
    }

    /**
     * Weights whose inputs some transform mixed across channels (a rotation): statistics collected on the
     * original model, an imatrix included, cannot be carried over to them.
     */
    public Set<String> mixedInputs() {
        return mixed;
    }

    /**
     * Product of every transform's factor on the activations entering weight {@code name} (x' = c ⊙ x), empty
     * when unchanged: an importance matrix collected on the original model becomes valid after multiplying
     * column j by c_j².
     */
    public Optional<float[]> inputScale(String name) {
        return Optional.ofNullable(inputScales.get(name)).map(float[]::clone);
    }

    private static ChannelStats rescale(ChannelStats s, float[] c) {
        float[] max = s.absMax();
        float[] ms = s.meanSquares();
        for (int j = 0; j < max.length; j++) {
            max[j] *= Math.abs(c[j]);
            ms[j] *= c[j] * c[j];
        }
        float[] mom = s.secondMoments(); // E[(c⊙x)(c⊙x)ᵀ]_ij = c_i c_j E[x xᵀ]_ij
        if (mom.length != 0) {
            int n = max.length;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    mom[i * n + j] *= c[i] * c[j];
                }
            }
        }
        return new ChannelStats(s.tensor(), s.count(), max, ms, mom);
    }

    private static float[] times(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }
}
