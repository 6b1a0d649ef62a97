package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.WriteOptions;
import dev.quant4j.engine.FormatExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quant quantize --output-format FORMAT INPUT OUTPUT SCHEME}: the model goes unchanged to an output format
 * that quantizes by itself (compressed-tensors); TYPE becomes that format's {@code scheme} option.
 */
final class FormatOutput {
    private FormatOutput() {
    }

    static int run(PrintWriter out, List<String> args, String format, List<String> optionArgs, WriteOptions split)
            throws IOException {
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
        Path output = Path.of(args.get(1));
        var registry = Registries.load();
        List<Path> files = FormatExport.run(registry, Path.of(args.get(0)), output, format, split.withFormatOptions(options));
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        out.printf("wrote      %s (%s, %s): %d files, %.2f MiB%n", output, format, args.get(2), files.size(),
                bytes / 1048576.0);
        out.flush();
        return ExitCodes.OK;
    }
}
