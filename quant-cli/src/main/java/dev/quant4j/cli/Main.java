package dev.quant4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Entry point of the {@code quant} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs {@code quant args} with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (versionOnly(args)) {
            // printed as picocli prints it (CliStartupTest compares), without building picocli's model: reading the
            // annotations spins a proxy class per annotation type, most of what --version cost
            for (String line : new QuantCommand.Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return ExitCodes.OK;
        }
        int verbosity = verbosity(args);
        setLogLevel(verbosity);
        CommandLine cl = new CommandLine(new QuantCommand());
        String named = subcommand(args);
        for (String name : QuantCommand.SUBCOMMANDS) {
            if (named == null || named.equals(name)) {
                cl.addSubcommand(name, QuantCommand.subcommand(name));
            }
        }
        cl.setUsageHelpWidth(110); // also applies to the subcommands
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("quant: " + message(ex));
            if (verbosity >= 2) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return ExitCodes.of(ex);
        });
        cl.setExitCodeExceptionMapper(ExitCodes::of);
        return cl.execute(args);
    }

    private static String message(Throwable t) {
        if (t instanceof java.util.concurrent.CancellationException) {
            return "cancelled";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /**
     * The subcommand {@code args} name (their first argument that is not an option), or null when they name none
     * (help, version, a typo: then every subcommand is registered, for the listing or the suggestion).
     */
    static String subcommand(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return QuantCommand.SUBCOMMANDS.contains(a) ? a : null;
            }
        }
        return null;
    }

    /** True when {@code args} ask only for the version: one -V / --version, with or without -v. */
    static boolean versionOnly(String[] args) {
        int versions = 0;
        for (String a : args) {
            if (a.equals("-V") || a.equals("--version")) {
                versions++;
            } else if (!a.equals("--verbose") && !a.matches("-v+")) {
                return false;
            }
        }
        return versions == 1;
    }

    /** Counts -v / -vv / --verbose before picocli runs, so logging is set before any command logs. */
    static int verbosity(String[] args) {
        int v = 0;
        for (String a : args) {
            if (a.equals("--verbose")) {
                v++;
            } else if (a.matches("-v+")) {
                v += a.length() - 1;
            }
        }
        return v;
    }

    private static void setLogLevel(int verbosity) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(verbosity >= 2 ? Level.DEBUG : verbosity == 1 ? Level.INFO : Level.WARN);
        }
    }
}
