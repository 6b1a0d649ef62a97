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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An open model seen through a chain of transforms. Immutable: {@link #then} returns the next link. Replaced
 * tensors are recomputed (as F32) each time they are viewed, so only the tensor being read is in memory.
 * Statistics stay where they were collected (memory or a {@link ChannelStatsFile}) and are read one weight at a
 * time when a transform asks ({@link #stats(String)}), then rescaled by every earlier transform's
 * {@link TransformOutput#inputScale} in order (SM'_ij = SM_ij c_i c_j), so each transform sees the statistics of the
 * model it transforms while memory holds only what it asked for.
 */
public final class TransformedModel implements TransformInput {
    private final ModelReader reader;
    private final Metadata metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TransformOutput> owners;
    private final Map<String, float[]> inputScales;
    private final StatsSource stats;
    private final Map<String, List<float[]>> factors;
    private final Map<String, QuantTarget> targets;
    private final Set<String> mixed;

    private TransformedModel(ModelReader reader, Metadata metadata, List<TensorInfo> tensors,
                             Map<String, TransformOutput> owners, Map<String, float[]> inputScales,
                             StatsSource stats, Map<String, List<float[]>> factors, Map<String, QuantTarget> targets,
                             Set<String> mixed) {
        this.reader = reader;
        this.mixed = Set.copyOf(mixed);
        this.targets = Map.copyOf(targets);
        this.metadata = metadata;
        this.tensors = List.copyOf(tensors);
        this.owners = Map.copyOf(owners);
        this.inputScales = Map.copyOf(inputScales);
        this.stats = stats;
        this.factors = Map.copyOf(factors);
    }

    /** The model as read, with calibration statistics collected on it. */
    public static TransformedModel of(ModelReader reader, Map<String, ChannelStats> stats) {
        return of(reader, StatsSource.of(stats));
    }

    /** The model as read, with calibration statistics read from {@code stats} when asked. */
    public static TransformedModel of(ModelReader reader, StatsSource stats) {
        return new TransformedModel(reader, reader.metadata(), reader.tensors(), Map.of(), Map.of(), stats, Map.of(),
                Map.of(), Set.of());
    }

    /** This model with the quantizers its weights will be written with (for transforms that search, e.g. AWQ). */
    public TransformedModel withTargets(Map<String, QuantTarget> quantizers) {
        return new TransformedModel(reader, metadata, tensors, owners, inputScales, stats, factors, quantizers, mixed);
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
        Map<String, List<float[]>> fs = new HashMap<>(factors);
        Set<String> mixedNow = new HashSet<>(mixed);
        for (String w : out.mixedInputs()) { // statistics of the old inputs describe nothing now
            mixedNow.add(w);
            fs.remove(w);
            scales.remove(w);
        }
        for (TensorInfo t : infos) {
            Optional<float[]> c = out.inputScale(t.name());
            if (c.isEmpty()) {
                continue;
            }
            scales.merge(t.name(), c.get(), TransformedModel::times);
            List<float[]> chain = new ArrayList<>(fs.getOrDefault(t.name(), List.of()));
            chain.add(c.get().clone());
            fs.put(t.name(), List.copyOf(chain));
        }
        return new TransformedModel(reader, md, infos, own, scales, stats, fs, targets, mixedNow);
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

    /** A view that reads each entry when asked (iterating it reads them all: use {@link #stats(String)}). */
    @Override
    public Map<String, ChannelStats> stats() {
        return new LazyStatsMap(stats.weights().stream().filter(w -> !mixed.contains(ChannelStats.weightOf(w))).toList(),
                this::stats);
    }

    /** Statistics by weight name or, for one expert of a 3-D weight, {@link ChannelStats#expertKey}. */
    @Override
    public Optional<ChannelStats> stats(String name) {
        String weight = ChannelStats.weightOf(name);
        if (mixed.contains(weight)) {
            return Optional.empty();
        }
        int expert = ChannelStats.expertOf(name);
        Optional<ChannelStats> s = stats.get(name);
        for (float[] c : factors.getOrDefault(weight, List.of())) {
            s = s.map(v -> rescale(v, expert < 0 ? c : expertSlice(c, v.columns(), expert)));
        }
        return s;
    }

    /** The weights with calibration statistics (a 3-D weight once, however many experts it has). */
    public int statisticsCount() {
        return (int) stats.weights().stream().map(ChannelStats::weightOf).filter(w -> !mixed.contains(w))
                .distinct().count();
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
