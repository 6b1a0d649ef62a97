package dev.quant4j.api.error;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The file system holding an output has too little room for it: found before writing (free space checked
 * against the computed size) or while writing (the device filled up).
 */
public class NoSpaceException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long needed;
    private final long free;

    public NoSpaceException(Path file, long needed, long free, String remedy) {
        super("no space left on device while writing " + file + " (needed " + needed + " bytes, " + free
                + " free)" + (remedy == null || remedy.isEmpty() ? "" : "; " + remedy));
        this.file = file;
        this.needed = needed;
        this.free = free;
    }

    public Path file() {
        return file;
    }

    public long needed() {
        return needed;
    }

    public long free() {
        return free;
    }
}
