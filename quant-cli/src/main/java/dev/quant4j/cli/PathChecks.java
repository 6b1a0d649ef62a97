package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks every path a command reads or writes before any work starts, so a typo in the last argument fails at
 * once with the reason instead of after minutes of quantizing.
 */
final class PathChecks {
    private PathChecks() {
    }

    /** An input file: it exists, is not a directory and can be read. */
    static void input(Path file) {
        if (Files.isDirectory(file)) {
            throw new QuantException(ErrorCode.IO, file + ": is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            throw new QuantException(ErrorCode.IO, file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new QuantException(ErrorCode.IO, file + ": permission denied");
        }
    }

    /**
     * A model to read: a file as {@link #input}, or a Hugging Face model directory (one holding
     * {@code config.json}), which the safetensors format reads.
     */
    static void model(Path path) {
        if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json"))) {
            if (!Files.isReadable(path)) {
                throw new QuantException(ErrorCode.IO, path + ": permission denied");
            }
            return;
        }
        if (Files.isDirectory(path)) {
            throw new QuantException(ErrorCode.IO, path + ": is a directory, not a model file"
                    + " (a Hugging Face model directory holds config.json)");
        }
        input(path);
    }

    /**
     * An output written through {@code created} (the file itself, or its {@code .tmp} that is renamed when
     * complete): its folder exists and is writable, and the output is not a directory.
     */
    static void output(Path file, Path created) {
        if (Files.isDirectory(file)) {
            throw new QuantException(ErrorCode.IO, "cannot write " + file + ": is a directory");
        }
        Path dir = file.toAbsolutePath().getParent();
        String what = "cannot create " + created.getFileName() + ": ";
        if (!Files.exists(dir)) {
            throw new QuantException(ErrorCode.IO, what + "directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new QuantException(ErrorCode.IO, what + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new QuantException(ErrorCode.IO, what + "permission denied (directory " + dir + ")");
        }
    }

    /** An output the command writes as {@code FILE.tmp} and renames. */
    static void outputViaTmp(Path file) {
        output(file, file.resolveSibling(file.getFileName() + ".tmp"));
    }
}
