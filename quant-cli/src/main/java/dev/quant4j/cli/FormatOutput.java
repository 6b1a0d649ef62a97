package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.engine.FormatExport;
import dev.quant4j.eval.transform.TransformTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quant quantize --output-format FORMAT INPUT OUTPUT SCHEME}: the model goes to an output format that
 * quantizes by itself (compressed-tensors); TYPE becomes that format's {@code scheme} option. Transforms run first
 * into a temporary float GGUF beside the output (searching against the quantizers the format names for each weight,
 * {@link FormatExport#quantizers}); GPTQ's Hessians are collected on that model and handed to the format as
 * {@code gptq-hessians}.
 */
final class FormatOutput {
    private FormatOutput() {
    }

    /**
     * @param transforms transform specs in order (may be empty)
     * @param threads    forward-pass threads for calibration (0: all cores)
     */
    static int run(PrintWriter out, PrintWriter err, List<String> args, String format, List<String> optionArgs,
                   WriteOptions split, List<String> transforms, TransformOptions calibration, GptqOptions gptq,
                   int threads) throws IOException {
        if (args.size() != 3) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--output-format " + format
                    + " takes INPUT OUTPUT_DIR SCHEME (e.g. model-dir out-dir W8A8); got " + args.size() + " arguments");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : optionArgs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new QuantException(ErrorCode.INVALID_OPTION, "--format-option '" + kv + "' is not KEY=VALUE");
            }
            options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        options.put("scheme", args.get(2));
        Path input = Path.of(args.get(0));
        Path output = Path.of(args.get(1));
        options.put("source", input.toAbsolutePath().toString()); // config and tokenizer files come from the input
        if (calibration.calibration != null && transforms.isEmpty() && !gptq.enabled) {
            throw new QuantException(ErrorCode.INVALID_OPTION, "--calibration is read by --transform and --gptq; give "
                    + "one of them (or drop --calibration)");
        }
        calibration.refuseSaveWithoutTransforms(transforms);
        QuantRegistry registry = Registries.load();
        WriteOptions withOptions = split.withFormatOptions(options);
        if (gptq.enabled) { // refuse a scheme GPTQ cannot fit before any calibration runs
            Map<String, String> probe = new LinkedHashMap<>(options);
            probe.put("gptq-hessians", "-");
            FormatExport.quantizers(registry, input, format, split.withFormatOptions(probe));
        }
        Path model = input;
        Path temp = null;
        try {
            if (!transforms.isEmpty()) {
                temp = output.toAbsolutePath().resolveSibling(output.getFileName() + ".transformed.tmp.gguf");
                Files.deleteIfExists(temp);
                TransformTargets targets = new TransformTargets(
                        FormatExport.quantizers(registry, input, format, withOptions), false);
                calibration.job(input, temp, transforms, null, null, threads, targets).run(registry);
                model = temp;
            }
            Path hessians = gptq.hessians(registry, model, output, gptq.enabled ? calibration.text("--gptq") : null,
                    threads, false, err);
            if (hessians != null) {
                options.put("gptq-hessians", hessians.toAbsolutePath().toString());
                options.put("gptq-dampening", Double.toString(gptq.dampening));
                options.put("gptq-act-order", Boolean.toString(gptq.actOrder));
            }
            List<Path> files = FormatExport.run(registry, model, output, format, split.withFormatOptions(options));
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            out.printf("wrote      %s (%s, %s): %d files, %.2f MiB%n", output, format, args.get(2), files.size(),
                    bytes / 1048576.0);
            out.flush();
            return ExitCodes.OK;
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
