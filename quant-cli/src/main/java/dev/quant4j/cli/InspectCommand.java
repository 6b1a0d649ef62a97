package dev.quant4j.cli;

import dev.quant4j.api.error.CorruptFormatException;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.FormatProvider;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.spi.ProviderKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quant inspect FILE}: what a model file holds, from its header alone (tensor data is never read, so
 * a 100 GB model answers at once). The format is found by sniffing through the registry.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Shows a model file's container facts, metadata and tensor table, reading only the header.",
            "A split model opens from its first shard (NAME-00001-of-0000N.gguf)."},
        exitCodeListHeading = "%nExit codes (as quantize):%n",
        exitCodeList = {"0:the file was read", "1:an internal error", "2:invalid command line",
            "3:not a model file any installed format reads, or a corrupt one",
            "4:the file is missing, a directory or unreadable"})
public final class InspectCommand implements Callable<Integer> {
    static final int BAD_INPUT = ExitCodes.BAD_INPUT;
    static final int IO = ExitCodes.IO;
    static final int FAILED = ExitCodes.FAILURE;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The model file (e.g. a .gguf).")
    Path file;

    @Option(names = "--json", description = "Print everything in the header as JSON (schema in docs/gguf.md).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            QuantRegistry registry = QuantRegistry.load(InspectCommand.class.getClassLoader());
            Optional<FormatProvider> format = registry.formatFor(file);
            if (format.isEmpty()) {
                return notReadable(err, registry);
            }
            try (ModelReader model = format.get().open(file)) {
                InspectedModel m = InspectedModel.of(model, format.get());
                if (json) {
                    InspectJson.write(out, m);
                } else {
                    InspectText.write(out, m);
                }
            }
            out.flush();
            return 0;
        } catch (CorruptFormatException e) {
            return fail(err, BAD_INPUT, e.getMessage());
        } catch (NoSuchFileException e) {
            return fail(err, IO, e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason()));
        } catch (AccessDeniedException e) {
            return fail(err, IO, e.getFile() + ": permission denied");
        } catch (IOException e) {
            return fail(err, IO, file + ": " + e.getMessage());
        } catch (QuantException e) {
            return fail(err, ExitCodes.of(e), e.getMessage());
        } catch (RuntimeException e) {
            return fail(err, FAILED, "internal error reading " + file + ": " + e);
        }
    }

    private int notReadable(PrintWriter err, QuantRegistry registry) {
        if (Files.isDirectory(file)) {
            return fail(err, IO, file + ": is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            return fail(err, IO, file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            return fail(err, IO, file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            return fail(err, IO, file + ": permission denied");
        }
        return fail(err, BAD_INPUT, file + ": not a model file any installed format reads (formats: "
                + String.join(", ", registry.names(ProviderKind.FORMAT)) + ")");
    }

    private static int fail(PrintWriter err, int code, String message) {
        err.println("quant inspect: " + message);
        err.flush();
        return code;
    }
}
