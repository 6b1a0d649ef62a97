package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.gptq.HessianCalibration;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.model.RunOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code quant quantize}'s GPTQ options and the calibration pass they call for (docs/gptq.md). */
final class GptqOptions {
    @Option(names = "--gptq", description = "GPTQ error compensation for every block-quantized tensor (needs --calibration or --gptq-hessians).")
    boolean enabled;

    @Option(names = "--gptq-hessians", paramLabel = "FILE",
            description = "GPTQ statistics file: reused when made from the same model/text/context/chunks, else written (default OUTPUT.hessians).")
    Path hessians;

    @Option(names = "--gptq-ctx", paramLabel = "N", description = "Calibration chunk length in tokens (default 512, at most the model's context).")
    int context = 512;

    @Option(names = "--gptq-chunks", paramLabel = "N", description = "Calibration chunks at most (default 0: all the text).")
    int chunks;

    @Option(names = "--gptq-damp", paramLabel = "X", description = "Dampening: fraction of the mean Hessian diagonal added to it (default 0.01).")
    double dampening = 0.01;

    @Option(names = "--gptq-act-order", description = "Quantize blocks in decreasing order of their Hessian diagonal mass.")
    boolean actOrder;

    @Option(names = "--gptq-memory", paramLabel = "MiB", description = "Largest memory for Hessians during calibration (default 4096).")
    long memoryMiB = 4096;

    /**
     * The statistics file GPTQ reads, computing it first from {@code calibration} (the command's --calibration
     * text, shared with --transform; may be null) when needed; null without --gptq.
     */
    Path hessians(QuantRegistry registry, Path input, Path output, Path calibration, int threads, boolean dryRun,
                  PrintWriter err) throws IOException {
        if (!enabled) {
            if (hessians != null) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "--gptq-hessians only applies with --gptq");
            }
            return null;
        }
        Path file = hessians != null ? hessians : output == null ? null : output.resolveSibling(output.getFileName() + ".hessians");
        if (calibration == null) {
            if (file == null || !Files.isRegularFile(file)) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "--gptq needs --calibration TEXT (or an existing --gptq-hessians FILE)");
            }
            return file;
        }
        if (!Files.isRegularFile(calibration)) {
            throw new QuantException(ErrorCode.IO, calibration + ": no such calibration text");
        }
        if (dryRun) {
            return null;
        }
        try (ModelRunner model = ModelRunner.open(input, registry, RunOptions.defaults().withThreads(Math.max(1, threads)))) {
            int ctx = Math.min(context, model.contextLength());
            HessianCalibration cal = new HessianCalibration(ctx, chunks, memoryMiB << 20);
            if (cal.reusable(file, input, calibration)) {
                err.println("gptq: reusing " + file);
                return file;
            }
            long t0 = System.nanoTime();
            long tokens = cal.run(model, calibration, file, c -> {
                err.print("\rgptq: calibrating, chunk " + c);
                err.flush();
            });
            err.printf("%ngptq: %d tokens in %.1f s -> %s%n", tokens, (System.nanoTime() - t0) / 1e9, file);
        }
        return file;
    }
}
