package dev.quant4j.api.error;

import java.nio.file.Path;

/** A well-formed file of a format version this reader does not support. */
public class UnsupportedFormatVersionException extends CorruptFormatException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatVersionException(Path file, long offset, String field, String problem) {
        super(file, offset, field, problem);
    }
}
