package dev.quant4j.cli;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import java.io.IOException;
import java.util.concurrent.CancellationException;

/** Exit codes of every command (listed in {@code quant --help}). */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int BAD_INPUT = 3;
    static final int IO = 4;
    static final int INTERRUPTED = 130;

    static final String HELP = """
            Exit codes:
              0    success
              1    unexpected failure (run with -vv for the stack trace)
              2    invalid command line: unknown option, subcommand, type or name; missing argument
              3    invalid input: corrupt file, bad tensor, missing imatrix, refused plan, two plugins
                   with one name
              4    I/O error: file not found, a directory, disk full, permission denied
              130  interrupted (Ctrl-C); partial output removed""";

    private ExitCodes() {
    }

    static int of(Throwable t) {
        if (t instanceof CancellationException || t instanceof java.nio.channels.ClosedByInterruptException) {
            return INTERRUPTED;
        }
        if (t instanceof picocli.CommandLine.ParameterException) {
            return USAGE;
        }
        if (t instanceof QuantException q) {
            return switch (q.code()) {
                case UNKNOWN_NAME, INVALID_OPTION -> USAGE;
                case IO -> IO;
                case PROVIDER_FAILED, SPI_MISMATCH -> FAILURE;
                case DUPLICATE_NAME -> BAD_INPUT;
                default -> BAD_INPUT;
            };
        }
        if (t instanceof dev.quant4j.api.error.CorruptFormatException) {
            return BAD_INPUT;
        }
        if (t instanceof IOException) {
            return IO;
        }
        return FAILURE;
    }

    static boolean isUsage(ErrorCode c) {
        return c == ErrorCode.UNKNOWN_NAME || c == ErrorCode.INVALID_OPTION;
    }
}
