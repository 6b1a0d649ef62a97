package dev.quant4j.cli;

import dev.quant4j.engine.QuantizeReport;
import dev.quant4j.engine.TensorResult;
import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable results of a job on stdout: per-tensor table and totals. */
final class Summary {
    private Summary() {
    }

    static void tensorTable(QuantizeReport r, PrintWriter out) {
        Table t = r.dryRun()
                ? new Table("TENSOR", "SHAPE", "SOURCE", "TYPE", "BYTES", "BPW", "RULE")
                : new Table("TENSOR", "SHAPE", "SOURCE", "TYPE", "BYTES", "BPW", "RMSE", "REL RMSE", "RULE");
        for (TensorResult x : r.tensors()) {
            String rule = x.note().isEmpty() ? x.rule() : x.rule() + " (" + x.note() + ")";
            if (r.dryRun()) {
                t.row(x.name(), Formats.shape(x.shape()), x.sourceType(), x.targetType(), x.bytes(),
                        Formats.num(x.bitsPerWeight(), 2), rule);
            } else {
                t.row(x.name(), Formats.shape(x.shape()), x.sourceType(), x.targetType(), x.bytes(),
                        Formats.num(x.bitsPerWeight(), 2), Formats.sci(x.rmse()), Formats.num(x.relativeRmse(), 4), rule);
            }
        }
        t.print(out);
    }

    /** Every protected super weight with its value before and after (decoded from the written file). */
    static void superWeights(QuantizeReport r, PrintWriter out) {
        for (dev.quant4j.engine.ProtectedWeight w : r.superWeights()) {
            out.println(String.format(Locale.ROOT, "super wt   %s[%d,%d] %.6g -> %.6g (%.3f %%) in %s%s%s", w.tensor(),
                    w.row(), w.column(), w.before(), w.after(), 100 * w.relativeError(), w.type(),
                    w.plannedType().equals(w.type()) ? "" : " (planned " + w.plannedType() + ")",
                    w.preserved() ? "" : "  NOT PRESERVED"));
        }
    }

    static void totals(QuantizeReport r, PrintWriter out) {
        totals(r, out, true);
    }

    /** The totals; {@code kept} false leaves out the "wrote" lines (the demo's temporary files are gone). */
    static void totals(QuantizeReport r, PrintWriter out, boolean kept) {
        double inBpw = r.elements() == 0 ? 0 : 8.0 * r.inputBytes() / r.elements();
        out.println(String.format(Locale.ROOT, "tensors    %d", r.tensors().size()));
        out.println(String.format(Locale.ROOT, "input      %s (%.2f bits per weight)", Formats.mb(r.inputBytes()), inBpw));
        out.println(String.format(Locale.ROOT, "output     %s (%.2f bits per weight, %.2fx smaller)%s",
                Formats.mb(r.outputBytes()), r.bitsPerWeight(),
                r.outputBytes() == 0 ? 0 : (double) r.inputBytes() / r.outputBytes(), r.dryRun() ? " [dry run]" : ""));
        if (!r.dryRun()) {
            out.println("rmse       " + Formats.sci(r.rmse()) + " (over all quantized weights)");
            out.println(String.format(Locale.ROOT, "time       %.2f s, %.1f MB/s with %d threads", r.seconds(),
                    r.throughputMBps(), r.threads()));
            if (kept) {
                r.outputs().forEach(p -> out.println("wrote      " + p));
            }
        } else {
            out.println(String.format(Locale.ROOT, "peak mem   ~%s predicted (working buffers, %d threads)",
                    Formats.mb(r.predictedPeakBytes()), r.threads()));
        }
        out.flush();
    }
}
