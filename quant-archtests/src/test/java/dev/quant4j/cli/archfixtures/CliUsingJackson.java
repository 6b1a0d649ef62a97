package dev.quant4j.cli.archfixtures;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Obeys rule 5: the CLI may use Jackson and print. */
public final class CliUsingJackson {
    public void print(Object report) throws Exception {
        System.out.println(new ObjectMapper().writeValueAsString(report));
    }
}
