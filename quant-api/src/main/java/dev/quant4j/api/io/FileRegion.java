package dev.quant4j.api.io;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where bytes lie in a file, stored as they are (no compression, no transformation): {@code length} bytes from byte
 * {@code offset} of {@code file}. A reader that maps its files can also say where a tensor lies, so that a consumer
 * reading each byte once (a forward pass) can read it with positional reads instead of touching the mapping: on a
 * virtual machine the first touch of every mapped page is far dearer than the kernel's copy (docs/forward-pass.md,
 * "Weights read, not touched").
 */
public record FileRegion(Path file, long offset, long length) {
    public FileRegion {
        Objects.requireNonNull(file, "file");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(file + ": region at " + offset + " of " + length + " bytes");
        }
    }

    /** The {@code length} bytes from {@code start} within this region. */
    public FileRegion slice(long start, long length) {
        if (start < 0 || length < 0 || start + length > this.length) {
            throw new IndexOutOfBoundsException(file + ": [" + start + ", " + (start + length) + ") outside a region of "
                    + this.length + " bytes");
        }
        return new FileRegion(file, offset + start, length);
    }
}
