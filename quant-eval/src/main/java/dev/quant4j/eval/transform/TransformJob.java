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
import dev.quant4j.api.tensor.ChannelStats;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code quant transform}: one calibration pass (when any transform needs statistics), the transforms in order,
 * the equivalent float model written in the input's format (GGUF when the output is named {@code *.gguf}), and optionally the imatrix rescaled to match.
 *
 * @param input        the model to transform (float weights)
 * @param output       where to write the transformed model
 * @param transforms   transforms in order
 * @param calibration  calibration text (required when a transform declares statistics)
 * @param ctx          calibration chunk length in tokens
 * @param chunks       at most this many calibration chunks (≤ 0: all)
 * @param imatrixIn    an imatrix collected on the input model, to be rescaled
 * @param imatrixOut   where to write the rescaled imatrix (required with imatrixIn)
 * @param threads      forward-pass threads (0: all cores)
 * @param targets      the quantizers that will follow, for transforms that search against them (AWQ)
 */
public record TransformJob(Path input, Path output, List<TransformSpec> transforms, Optional<String> calibration,
                           int ctx, int chunks, Optional<Path> imatrixIn, Optional<Path> imatrixOut, int threads,
                           TransformTargets targets) {
    public TransformJob {
        transforms = List.copyOf(transforms);
        java.util.Objects.requireNonNull(targets);
        if (transforms.isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "no transform given");
        }
        if (imatrixIn.isPresent() != imatrixOut.isPresent()) {
            throw new IllegalArgumentException("give both the imatrix to rescale and where to write it");
        }
    }

    /**
     * What was done.
     *
     * @param imatrixRecollected the imatrix was collected again on the transformed model from the calibration
     *                           text (a transform mixed input channels, so the given one could not be rescaled)
     */
    public record Result(Path output, int replacedTensors, int calibrationTensors, int rescaledImatrixEntries,
                         boolean imatrixRecollected) {
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
        Map<String, ChannelStats> stats = Map.of();
        if (needsStats) {
            String text = calibration.orElseThrow(() -> new QuantException(ErrorCode.INVALID_OPTION,
                    "transform(s) " + transforms.stream().map(TransformSpec::name).toList()
                            + " need calibration statistics: give --calibration TEXT"));
            RunOptions opts = RunOptions.defaults().withMaxContext(ctx);
            if (threads > 0) {
                opts = opts.withThreads(threads);
            }
            try (ModelRunner runner = ModelRunner.open(input, registry, opts)) {
                stats = Calibration.collect(runner, text, ctx, chunks, moments);
            }
        }
        FormatProvider format = registry.formatFor(input).orElseThrow(() -> new QuantException(
                ErrorCode.UNSUPPORTED_TYPE, input + ": not a model file any installed format reads (formats: "
                + registry.names(ProviderKind.FORMAT) + ")"));
        try (ModelReader reader = format.open(input)) {
            TransformedModel model = TransformedModel.of(reader, stats).withTargets(targets.resolve(registry));
            for (Transform t : built) {
                model = model.then(t);
            }
            boolean recollect = imatrixIn.isPresent() && !model.mixedInputs().isEmpty();
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
            long weights = stats.keySet().stream().map(k -> k.contains("#") ? k.substring(0, k.lastIndexOf('#')) : k)
                    .distinct().count(); // an expert's statistics are kept under weight#e
            return new Result(output, replaced, (int) weights, rescaled, recollect);
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
