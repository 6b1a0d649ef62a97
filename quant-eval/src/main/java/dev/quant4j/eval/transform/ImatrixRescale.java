package dev.quant4j.eval.transform;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.imatrix.Imatrix;
import dev.quant4j.eval.imatrix.ImatrixEntry;
import dev.quant4j.eval.imatrix.ImatrixFile;
import dev.quant4j.eval.imatrix.ImatrixFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Makes an importance matrix collected on the original model valid for the transformed one: a transform that
 * multiplies the activations entering a weight by c (x' = c ⊙ x) multiplies their mean squares by c², so
 * column j's sums are multiplied by c_j² (counts unchanged). For SmoothQuant c = 1/s. A stacked expert weight's
 * factors are one per column (all experts' shared input scaled) or one per column of each expert, in order.
 */
public final class ImatrixRescale {
    private ImatrixRescale() {
    }

    /** @return how many entries were rescaled */
    public static int rescale(Path in, Path out, TransformedModel model, QuantRegistry registry) throws IOException {
        ImatrixFile file = ImatrixFiles.load(in, registry);
        TreeMap<String, ImatrixEntry> entries = new TreeMap<>(file.entries());
        int changed = 0;
        for (var e : file.entries().entrySet()) {
            Optional<float[]> c = model.inputScale(e.getKey());
            if (c.isEmpty()) {
                continue;
            }
            float[] sums = e.getValue().sums();
            float[] s = c.get();
            int columns = sums.length / e.getValue().matrices();
            if (s.length != sums.length && s.length != columns) {
                throw new IllegalStateException("imatrix entry '" + e.getKey() + "' has " + sums.length
                        + " values; the transform scaled " + s.length + " columns");
            }
            for (int j = 0; j < sums.length; j++) { // experts: one factor per column for all, or per expert
                float f = s[s.length == sums.length ? j : j % columns];
                sums[j] *= f * f;
            }
            entries.put(e.getKey(), ImatrixEntry.of(sums, e.getValue().counts()));
            changed++;
        }
        long chunkSize = file.chunkSize() > 0 ? file.chunkSize() : 512;
        Imatrix merged = new Imatrix((int) chunkSize);
        merged.merge(new ImatrixFile(entries, file.datasets(), file.chunkCount(), file.chunkSize(), file.legacy()));
        ImatrixFiles.save(merged, out, ImatrixFiles.Format.GGUF, registry);
        return changed;
    }
}
