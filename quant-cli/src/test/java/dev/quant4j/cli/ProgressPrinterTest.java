package dev.quant4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The terminal bar moves within a tensor (MB/s and ETA); --quiet shows only warnings. */
class ProgressPrinterTest {
    @Test
    void barIsDrawnBeforeTheFirstTensorIsDone() {
        StringWriter s = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(s, true), true, ProgressPrinter.Level.NORMAL);
        p.progress(5_000_000);
        String out = s.toString();
        assertTrue(out.startsWith("\r\033[K[") && out.contains("0/0 tensors  5.0/0.0 MB") && out.contains("MB/s")
                && out.contains("ETA"), out);
    }

    @Test
    void quietPrintsWarningsOnly() {
        StringWriter s = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(s, true), true, ProgressPrinter.Level.QUIET);
        p.progress(5_000_000);
        p.warning("something to know");
        assertEquals("warning: something to know" + System.lineSeparator(), s.toString());
    }
}
