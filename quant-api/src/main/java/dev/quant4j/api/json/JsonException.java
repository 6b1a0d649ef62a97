package dev.quant4j.api.json;

/** Text that is not the strict JSON {@link JsonParser} accepts; {@link #offset()} is the byte/char position. */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final String problem;

    public JsonException(long offset, String problem) {
        super(problem + " at offset " + offset);
        this.offset = offset;
        this.problem = problem;
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }

    public long offset() {
        return offset;
    }
}
