package dev.quant4j.api.archfixtures;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Violates rule 1: quant-api code that depends on SLF4J (and so logs). */
public final class ApiUsingSlf4j {
    private final Logger log = LoggerFactory.getLogger(ApiUsingSlf4j.class);

    public void work() {
        log.info("working");
    }
}
