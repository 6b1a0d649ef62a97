package dev.quant4j.cli;

import picocli.CommandLine;

/** Entry point of the {@code quant} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new QuantCommand()).execute(args));
    }
}
