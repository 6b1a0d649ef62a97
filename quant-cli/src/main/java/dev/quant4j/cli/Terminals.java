package dev.quant4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stdout / stderr are terminals: Linux's /proc/self/fd links, else the JVM console (stdin and stdout). */
final class Terminals {
    private Terminals() {
    }

    static boolean stdout() {
        return isTerminal(1);
    }

    static boolean stderr() {
        return isTerminal(2);
    }

    private static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | SecurityException e) {
            // fall through to the console
        }
        return ProgressPrinter.stderrIsTerminal();
    }
}
