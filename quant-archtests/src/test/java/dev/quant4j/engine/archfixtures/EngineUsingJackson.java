package dev.quant4j.engine.archfixtures;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Violates rule 5: Jackson outside the CLI. */
public final class EngineUsingJackson {
    public String json(Object report) throws Exception {
        return new ObjectMapper().writeValueAsString(report);
    }
}
