package dev.quant4j.safetensors.json;

/** Text that is not the strict JSON {@link JsonParser} accepts; {@link #offset()} is the byte/char position. */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public JsonException(long offset, String problem) {
        super(problem + " at offset " + offset);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
