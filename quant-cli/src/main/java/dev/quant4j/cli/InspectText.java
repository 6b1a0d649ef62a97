package dev.quant4j.cli;

import dev.quant4j.api.spi.ContainerInfo;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.api.tensor.Shape;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** The human-readable report of {@code quant inspect}: header, metadata, tensor table with totals. */
final class InspectText {
    private InspectText() {
    }

    static void write(PrintWriter out, InspectedModel m) {
        ContainerInfo c = m.container();
        boolean split = c.files().size() > 1;
        out.printf(Locale.ROOT, "%s %d: %d tensors, %d metadata keys, alignment %d, data offset %d%n",
                c.format().toUpperCase(Locale.ROOT), c.version(), m.tensors().size(), m.metadata().entries().size(),
                c.alignment(), c.dataOffset());
        for (int f = 0; f < c.files().size(); f++) {
            out.printf(Locale.ROOT, "file %d of %d: %s%n", f + 1, c.files().size(), c.files().get(f));
        }
        out.println();
        out.println("Metadata:");
        int keyWidth = m.metadata().entries().stream().mapToInt(e -> e.key().length()).max().orElse(0);
        for (Metadata.Entry e : m.metadata().entries()) {
            out.printf(Locale.ROOT, "  %-" + keyWidth + "s  %-7s  %s%n", e.key(), e.value().type().label(),
                    MetaText.summary(e.value()));
        }
        out.println();
        out.println("Tensors:");
        int nameWidth = Math.max(4, m.tensors().stream().mapToInt(t -> t.info().name().length()).max().orElse(0));
        int shapeWidth = Math.max(5, m.tensors().stream().mapToInt(t -> shape(t.info().shape()).length())
                .max().orElse(0));
        String format = "  %5s  %-" + nameWidth + "s  %-7s  %-" + shapeWidth + "s  %12s  %12s  %6s" + (split ? "  %s" : "")
                + "%n";
        out.printf(Locale.ROOT, format, "#", "name", "type", "shape", "bytes", "offset", "bpw", "file");
        for (int i = 0; i < m.tensors().size(); i++) {
            InspectedModel.Located t = m.tensors().get(i);
            out.printf(Locale.ROOT, format, i, t.info().name(), t.info().type().lowerName(), shape(t.info().shape()),
                    t.info().byteSize(), t.offset(), bpw(t.info().byteSize(), t.info().shape().elementCount()),
                    t.file() + 1);
        }
        out.printf(Locale.ROOT, "total: %d tensors, %d weights, %d bytes (%s), %s bits per weight%n",
                m.tensors().size(), m.totalElements(), m.totalBytes(), human(m.totalBytes()),
                bpw(m.totalBytes(), m.totalElements()));
    }

    static String shape(Shape s) {
        return s.dims().stream().map(String::valueOf).collect(Collectors.joining(" × "));
    }

    private static String bpw(long bytes, long elements) {
        return elements == 0 ? "-" : String.format(Locale.ROOT, "%.2f", 8.0 * bytes / elements);
    }

    private static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
