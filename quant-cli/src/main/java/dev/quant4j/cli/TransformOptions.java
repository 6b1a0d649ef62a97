package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.eval.transform.ChannelStatsFile;
import dev.quant4j.eval.transform.TransformJob;
import dev.quant4j.eval.transform.TransformSpec;
import dev.quant4j.eval.transform.TransformTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Calibration options shared by {@code quant transform} and {@code quant quantize --transform}. */
final class TransformOptions {
    @Option(names = "--calibration", paramLabel = "TEXT|FILE", description = {"Calibration text: statistics for --transform, Hessians for --gptq (computed once, cached), KL divergence for the importance planner's estimator=blend/kld.",
        "For --transform also a statistics file saved with --save-calibration (recognised by its magic)."})
    Path calibration;

    @Option(names = "--save-calibration", paramLabel = "FILE", description = "Save the transform statistics collected from --calibration TEXT (reuse them with --calibration FILE).")
    Path saveCalibration;

    @Option(names = "--calibration-memory", paramLabel = "MiB", description = "Largest memory for transform statistics while collecting (default 4096); above it the calibration runs in passes into a file.")
    long calibrationMemoryMiB = TransformJob.DEFAULT_CALIBRATION_MEMORY >> 20;

    @Option(names = "--calibration-ctx", paramLabel = "N", description = "Tokens per calibration chunk (default 256).")
    int calibrationCtx = 256;

    @Option(names = "--calibration-chunks", paramLabel = "N", description = "At most N calibration chunks (default 16; 0: all).")
    int calibrationChunks = 16;

    TransformJob job(Path in, Path out, List<String> specs, Path imatrixIn, Path imatrixOut, int threads,
                     TransformTargets targets) throws IOException {
        TransformJob.Builder b = TransformJob.builder(in, out).calibrationContext(calibrationCtx)
                .calibrationChunks(calibrationChunks).calibrationMemory(calibrationMemoryMiB << 20)
                .saveCalibration(saveCalibration).imatrix(imatrixIn, imatrixOut).threads(threads).targets(targets);
        specs.forEach(b::transform);
        if (calibration != null) {
            b.calibration(calibration);
        }
        return b.build();
    }

    /**
     * The --calibration text for {@code reader} (null without --calibration), refusing a statistics file, which only
     * the transforms read.
     */
    Path text(String reader) throws IOException {
        if (calibration != null && ChannelStatsFile.isStatisticsFile(calibration)) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--calibration " + calibration + " is a transform"
                    + " statistics file (Q4JCAL01); " + reader + " needs the calibration text");
        }
        return calibration;
    }

    /** Refuses --save-calibration where no transform runs. */
    void refuseSaveWithoutTransforms(List<String> transforms) {
        if (saveCalibration != null && transforms.isEmpty()) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--save-calibration saves the statistics of --transform;"
                    + " give a transform (or drop --save-calibration)");
        }
    }
}
