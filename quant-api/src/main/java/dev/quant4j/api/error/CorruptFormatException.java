package dev.quant4j.api.error;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that violates its format; the message names the file, the byte offset and the field. */
public class CorruptFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;

    public CorruptFormatException(Path file, long offset, String field, String problem) {
        super(file + ": corrupt at byte " + offset + " (" + field + "): " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
