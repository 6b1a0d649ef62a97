package dev.quant4j.cli.archfixtures;

import dev.quant4j.lowbit.archfixtures.LowbitHelper;

/** Violates rule 3: the CLI importing a plugin class. It may print: it is the CLI. */
public final class CliUsingPlugin {
    public void run() {
        System.out.println(new LowbitHelper().half((short) 0, null));
    }
}
