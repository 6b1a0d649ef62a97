package dev.quant4j.cli;

import dev.quant4j.eval.transform.TransformJob;
import dev.quant4j.eval.transform.TransformSpec;
import dev.quant4j.eval.transform.TransformTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Calibration options shared by {@code quant transform} and {@code quant quantize --transform}. */
final class TransformOptions {
    @Option(names = "--calibration", paramLabel = "TEXT", description = "Calibration text: statistics for --transform, Hessians for --gptq (computed once, cached), KL divergence for the importance planner's estimator=blend/kld.")
    Path calibration;

    @Option(names = "--calibration-ctx", paramLabel = "N", description = "Tokens per calibration chunk (default 256).")
    int calibrationCtx = 256;

    @Option(names = "--calibration-chunks", paramLabel = "N", description = "At most N calibration chunks (default 16; 0: all).")
    int calibrationChunks = 16;

    TransformJob job(Path in, Path out, List<String> specs, Path imatrixIn, Path imatrixOut, int threads,
                     TransformTargets targets) throws IOException {
        Optional<String> text = calibration == null ? Optional.empty() : Optional.of(
                new String(Files.readAllBytes(calibration), java.nio.charset.StandardCharsets.UTF_8)); // lenient, as llama.cpp reads bytes;
        return new TransformJob(in, out, specs.stream().map(TransformSpec::parse).toList(), text, calibrationCtx,
                calibrationChunks, Optional.ofNullable(imatrixIn), Optional.ofNullable(imatrixOut), threads, targets);
    }
}
