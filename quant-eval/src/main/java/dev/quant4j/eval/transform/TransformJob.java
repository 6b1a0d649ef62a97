package dev.quant4j.eval.transform;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ProviderKind;
import dev.quant4j.api.spi.Transform;
import dev.quant4j.api.spi.TransformProvider;
import dev.quant4j.api.tensor.ChannelStat;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quant transform}: calibration statistics (when any transform needs them) from text or a saved statistics
 * file, the transforms in order, the equivalent float model written in the input's format (GGUF when the output is
 * named {@code *.gguf}), and optionally the imatrix rescaled to match. Build one with {@link #builder}.
 *
 * @param input             the model to transform (float weights)
 * @param output            where to write the transformed model
 * @param transforms        transforms in order
 * @param calibration       calibration text (one source of statistics when a transform declares them)
 * @param ctx               calibration chunk length in tokens
 * @param chunks            at most this many calibration chunks (≤ 0: all)
 * @param imatrixIn         an imatrix collected on the input model, to be rescaled
 * @param imatrixOut        where to write the rescaled imatrix (required with imatrixIn)
 * @param threads           forward-pass threads (0: all cores)
 * @param targets           the quantizers that will follow, for transforms that search against them (AWQ)
 * @param statistics        a saved statistics file ({@link ChannelStatsFile}) instead of calibration text
 * @param saveCalibration   where to save the statistics collected from the text
 * @param calibrationMemory bytes of statistics held at once while collecting; above it the calibration runs in
 *                          passes into a file ({@link Calibration#toFile}) and transforms read it one weight at a time
 */
public record TransformJob(Path input, Path output, List<TransformSpec> transforms, Optional<String> calibration,
                           int ctx, int chunks, Optional<Path> imatrixIn, Optional<Path> imatrixOut, int threads,
                           TransformTargets targets, Optional<Path> statistics, Optional<Path> saveCalibration,
                           long calibrationMemory) {
    /** The default memory for statistics while collecting: 4096 MiB. */
    public static final long DEFAULT_CALIBRATION_MEMORY = 4096L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(TransformJob.class);

    public TransformJob {
        transforms = List.copyOf(transforms);
        java.util.Objects.requireNonNull(targets);
        if (transforms.isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "no transform given");
        }
        if (imatrixIn.isPresent() != imatrixOut.isPresent()) {
            throw new IllegalArgumentException("give both the imatrix to rescale and where to write it");
        }
        if (calibration.isPresent() && statistics.isPresent()) {
            throw new IllegalArgumentException("give calibration text or a statistics file, not both");
        }
        if (statistics.isPresent() && saveCalibration.isPresent()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--save-calibration " + saveCalibration.get()
                    + ": the calibration " + statistics.get() + " is already a statistics file; nothing is collected");
        }
        if (calibrationMemory <= 0) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "calibration memory must be positive, got "
                    + calibrationMemory + " bytes");
        }
    }

    /** Without a statistics file, saving or a memory limit (the default limit). */
    public TransformJob(Path input, Path output, List<TransformSpec> transforms, Optional<String> calibration, int ctx,
                        int chunks, Optional<Path> imatrixIn, Optional<Path> imatrixOut, int threads,
                        TransformTargets targets) {
        this(input, output, transforms, calibration, ctx, chunks, imatrixIn, imatrixOut, threads, targets,
                Optional.empty(), Optional.empty(), DEFAULT_CALIBRATION_MEMORY);
    }

    public static Builder builder(Path input, Path output) {
        return new Builder(input, output);
    }

    /** The library's way to a {@link TransformJob}: defaults as {@code quant transform}'s. */
    public static final class Builder {
        private final Path input;
        private final Path output;
        private final List<TransformSpec> transforms = new ArrayList<>();
        private Optional<String> text = Optional.empty();
        private Optional<Path> statistics = Optional.empty();
        private Optional<Path> save = Optional.empty();
        private Optional<Path> imatrixIn = Optional.empty();
        private Optional<Path> imatrixOut = Optional.empty();
        private int ctx = 256;
        private int chunks = 16;
        private int threads;
        private long memory = DEFAULT_CALIBRATION_MEMORY;
        private TransformTargets targets = TransformTargets.none();

        private Builder(Path input, Path output) {
            this.input = input;
            this.output = output;
        }

        /** Appends a transform ({@code NAME[:k=v,...]}). */
        public Builder transform(String spec) {
            transforms.add(TransformSpec.parse(spec));
            return this;
        }

        public Builder transform(TransformSpec spec) {
            transforms.add(spec);
            return this;
        }

        /** Calibration text, run through the model. */
        public Builder calibrationText(String calibrationText) {
            text = Optional.of(calibrationText);
            statistics = Optional.empty();
            return this;
        }

        /** A statistics file saved by an earlier run ({@link #saveCalibration}). */
        public Builder calibrationStatistics(Path file) {
            statistics = Optional.of(file);
            text = Optional.empty();
            return this;
        }

        /**
         * {@code file} as {@code --calibration} reads it: a statistics file when it starts with the {@code Q4JCAL01}
         * magic, else calibration text (UTF-8).
         */
        public Builder calibration(Path file) throws IOException {
            if (ChannelStatsFile.isStatisticsFile(file)) {
                return calibrationStatistics(file);
            }
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new QuantException(ErrorCode.IO, file + ": no such calibration text or statistics file");
            }
            return calibrationText(new String(java.nio.file.Files.readAllBytes(file),
                    java.nio.charset.StandardCharsets.UTF_8)); // lenient, as llama.cpp reads bytes
        }

        /** Writes the statistics collected from the text to {@code file} (as {@code file.tmp}, then renamed). */
        public Builder saveCalibration(Path file) {
            save = Optional.ofNullable(file);
            return this;
        }

        public Builder calibrationContext(int tokens) {
            ctx = tokens;
            return this;
        }

        public Builder calibrationChunks(int n) {
            chunks = n;
            return this;
        }

        /** Bytes of statistics held at once while collecting (default 4096 MiB). */
        public Builder calibrationMemory(long bytes) {
            memory = bytes;
            return this;
        }

        /** Rescales {@code in} (collected on the input model) for the transformed one into {@code out}. */
        public Builder imatrix(Path in, Path out) {
            imatrixIn = Optional.ofNullable(in);
            imatrixOut = Optional.ofNullable(out);
            return this;
        }

        public Builder threads(int n) {
            threads = n;
            return this;
        }

        public Builder targets(TransformTargets t) {
            targets = t;
            return this;
        }

        public TransformJob build() {
            return new TransformJob(input, output, transforms, text, ctx, chunks, imatrixIn, imatrixOut, threads,
                    targets, statistics, save, memory);
        }
    }

    /**
     * What was done.
     *
     * @param imatrixRecollected the imatrix was collected again on the transformed model from the calibration
     *                           text (a transform mixed input channels, so the given one could not be rescaled)
     * @param calibrationPasses  forward passes over the calibration text (0: none, or statistics read from a file)
     */
    public record Result(Path output, int replacedTensors, int calibrationTensors, int rescaledImatrixEntries,
                         boolean imatrixRecollected, int calibrationPasses) {
    }

    public Result run(QuantRegistry registry) throws IOException {
        List<Transform> built = new ArrayList<>();
        boolean needsStats = false;
        boolean moments = false;
        for (TransformSpec s : transforms) {
            TransformProvider<?> p = registry.transform(s.name());
            java.util.Set<ChannelStat> needed = needs(p, s.options());
            needsStats |= !needed.isEmpty();
            moments |= needed.contains(ChannelStat.SECOND_MOMENTS);
            built.add(create(p, s.options()));
        }
        Path temp = null;
        int passes = 0;
        StatsSource stats = StatsSource.none();
        ChannelStatsFile file = null;
        try {
            if (needsStats && statistics.isPresent()) {
                file = openStatistics(statistics.get(), moments);
                stats = file;
            } else if (needsStats) {
                String text = calibration.orElseThrow(() -> new QuantException(ErrorCode.INVALID_OPTION,
                        "transform(s) " + transforms.stream().map(TransformSpec::name).toList()
                                + " need calibration statistics: give --calibration TEXT (or a saved statistics file)"));
                RunOptions opts = RunOptions.defaults().withMaxContext(ctx);
                if (threads > 0) {
                    opts = opts.withThreads(threads);
                }
                try (ModelRunner runner = ModelRunner.open(input, registry, opts)) {
                    passes = Calibration.passes(runner.tensors(), moments, calibrationMemory).size();
                    if (passes == 1 && saveCalibration.isEmpty()) {
                        stats = StatsSource.of(Calibration.collect(runner, text, ctx, chunks, moments));
                    } else {
                        Path f = saveCalibration.orElseGet(() -> output.toAbsolutePath()
                                .resolveSibling(output.getFileName() + ".calibration.tmp"));
                        temp = saveCalibration.isEmpty() ? f : null;
                        Calibration.toFile(runner, text, ctx, chunks, moments, calibrationMemory, f);
                        file = ChannelStatsFile.open(f);
                        stats = file;
                    }
                }
            } else if (saveCalibration.isPresent()) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "--save-calibration " + saveCalibration.get()
                        + ": transform(s) " + transforms.stream().map(TransformSpec::name).toList()
                        + " need no calibration statistics; nothing to save");
            }
            return transform(registry, built, stats, passes);
        } finally {
            if (file != null) {
                file.close();
            }
            if (temp != null) {
                java.nio.file.Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Opens a saved statistics file, refusing one computed on another model or lacking second moments the
     * transforms need.
     */
    private ChannelStatsFile openStatistics(Path file, boolean moments) throws IOException {
        ChannelStatsFile f = ChannelStatsFile.open(file);
        try {
            byte[] model = dev.quant4j.kernels.gptq.HessianFile.sha256(input);
            if (!java.util.Arrays.equals(model, f.header().modelHash())) {
                java.util.HexFormat hex = java.util.HexFormat.of();
                throw new QuantException(ErrorCode.INVALID_OPTION, file + ": statistics collected on another model"
                        + " (model SHA-256 " + hex.formatHex(f.header().modelHash(), 0, 8) + "… in the file, "
                        + hex.formatHex(model, 0, 8) + "… for " + input + "); collect them again on this model");
            }
            if (moments && !f.statistics().contains(ChannelStat.SECOND_MOMENTS)) {
                throw new QuantException(ErrorCode.MISSING_CALIBRATION, file + ": holds no second moments"
                        + " (SECOND_MOMENTS), which " + transforms.stream().map(TransformSpec::name).toList()
                        + " need; save statistics from a run with awq or smoothquant:search=N");
            }
            LOG.info("calibration statistics from {} ({})", file, f.header());
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private Result transform(QuantRegistry registry, List<Transform> built, StatsSource stats, int passes)
            throws IOException {
        FormatProvider format = registry.formatFor(input).orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_TYPE, input + ": not a model file any installed format reads (formats: "
                + registry.names(ProviderKind.FORMAT) + ")"));
        try (ModelReader reader = format.open(input)) {
            TransformedModel model = TransformedModel.of(reader, stats).withTargets(targets.resolve(registry));
            for (Transform t : built) {
                model = model.then(t);
            }
            boolean recollect = imatrixIn.isPresent() && !model.mixedInputs().isEmpty();
            if (recollect && statistics.isPresent()) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "the imatrix " + imatrixIn.get() + " must be"
                        + " collected again on the transformed model (" + transforms.stream().map(TransformSpec::name)
                        .toList() + " mixes input channels), which needs calibration text; " + statistics.get()
                        + " is a statistics file: give the text as --calibration");
            }
            if (recollect && calibration.isEmpty()) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "the imatrix " + imatrixIn.get() + " was collected"
                        + " on the model before " + transforms.stream().map(TransformSpec::name).toList()
                        + ", which mixes the input channels of " + model.mixedInputs().size() + " weights (e.g. '"
                        + model.mixedInputs().stream().sorted().findFirst().orElseThrow() + "'), so it cannot be"
                        + " rescaled: give --calibration TEXT to collect it again on the transformed model, or write"
                        + " the transformed model with 'quant transform' and collect its imatrix with 'quant imatrix'");
            }
            TransformWriter.write(model, outputFormat(registry, format), output);
            int rescaled = 0;
            if (recollect) {
                rescaled = ImatrixRecollect.collect(output, imatrixOut.orElseThrow(), calibration.orElseThrow(), ctx,
                        chunks, threads, registry);
            } else if (imatrixIn.isPresent()) {
                rescaled = ImatrixRescale.rescale(imatrixIn.get(), imatrixOut.orElseThrow(), model, registry);
            }
            final TransformedModel m = model;
            int replaced = (int) model.tensors().stream().filter(t -> m.isReplaced(t.name())).count();
            return new Result(output, replaced, model.statisticsCount(), rescaled, recollect, passes);
        }
    }

    /**
     * GGUF when the output's name ends in {@code .gguf} (any input, e.g. a Hugging Face directory feeding a
     * compressed-tensors export), else the input's own format.
     */
    private FormatProvider outputFormat(QuantRegistry registry, FormatProvider inputFormat) {
        return output.getFileName().toString().endsWith(".gguf") ? registry.format("gguf") : inputFormat;
    }

    private static <O extends Record> java.util.Set<ChannelStat> needs(
            TransformProvider<O> p, Map<String, String> options) {
        return p.needs(p.parseOptions(options));
    }

    private static <O extends Record> Transform create(TransformProvider<O> p, Map<String, String> options) {
        return p.create(p.parseOptions(options));
    }
}
