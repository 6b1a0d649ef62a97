package dev.quant4j.api.archfixtures;

/** Violates rule 1 (never logs) with the JDK alone: System.Logger. */
public final class ApiUsingSystemLogger {
    private final System.Logger log = System.getLogger("quant4j");

    public void work() {
        log.log(System.Logger.Level.INFO, "working");
    }
}
