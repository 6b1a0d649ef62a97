package dev.quant4j.eval.imatrix;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.MetaType;
import dev.quant4j.api.tensor.MetaValue;
import dev.quant4j.api.tensor.Metadata;
import dev.quant4j.eval.metrics.PerplexityAccumulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A resumable state of an imatrix run: an ordinary GGUF imatrix (llama-quantize can use it as it is) whose
 * {@code imatrix.datasets} are the merged input files' only, plus {@code quant4j.checkpoint.*} keys: chunks done, the
 * perplexity sums, and a fingerprint of the run's inputs (tokens, chunking, options) so that a checkpoint is never
 * continued with other data. Raw float sums and integer counts are stored exactly, so a resumed run ends with the
 * same bytes as an uninterrupted one.
 *
 * @param imatrix     the statistics after {@code chunksDone} chunks (merged input files included)
 * @param chunksDone  chunks collected
 * @param perplexity  the perplexity sums so far
 * @param fingerprint of the run's inputs
 */
public record ImatrixCheckpoint(ImatrixFile imatrix, int chunksDone, PerplexityAccumulator.State perplexity,
                                long fingerprint) {
    private static final String PREFIX = "quant4j.checkpoint.";

    /** Writes the checkpoint of {@code imatrix} (atomically, replacing an older one). */
    public static void write(Imatrix imatrix, int chunksDone, PerplexityAccumulator.State ppl, long fingerprint,
                             Path file, QuantRegistry registry) throws IOException {
        List<Metadata.Entry> extra = List.of(
                new Metadata.Entry(PREFIX + "chunks_done", MetaValue.u32(chunksDone)),
                new Metadata.Entry(PREFIX + "fingerprint", new MetaValue.Int(MetaType.UINT64, fingerprint)),
                new Metadata.Entry(PREFIX + "nll", new MetaValue.Real(MetaType.FLOAT64, ppl.sumNll())),
                new Metadata.Entry(PREFIX + "nll2", new MetaValue.Real(MetaType.FLOAT64, ppl.sumNll2())),
                new Metadata.Entry(PREFIX + "count", new MetaValue.Int(MetaType.UINT64, ppl.count())),
                new Metadata.Entry(PREFIX + "ppl_chunks", MetaValue.u32(ppl.chunks())));
        ImatrixGguf.write(imatrix, ImatrixGguf.layout(imatrix, imatrix.loadedDatasets(), extra), file,
                registry.format("gguf"));
    }

    public static ImatrixCheckpoint read(Path file, QuantRegistry registry) throws IOException {
        try (ModelReader r = registry.format("gguf").open(file)) {
            Metadata m = r.metadata();
            return new ImatrixCheckpoint(ImatrixGguf.read(r), (int) (long) required(file, m, "chunks_done"),
                    new PerplexityAccumulator.State(real(file, m, "nll"), real(file, m, "nll2"),
                            required(file, m, "count"), (int) (long) required(file, m, "ppl_chunks")),
                    required(file, m, "fingerprint"));
        }
    }

    /** A new imatrix holding the checkpoint's statistics, ready to continue collecting. */
    public Imatrix restore(int chunkSize) {
        Imatrix m = new Imatrix(chunkSize);
        m.merge(imatrix);
        return m;
    }

    private static long required(Path file, Metadata m, String key) {
        return m.getLong(PREFIX + key).orElseThrow(() -> notCheckpoint(file, key));
    }

    private static double real(Path file, Metadata m, String key) {
        if (m.get(PREFIX + key).orElse(null) instanceof MetaValue.Real(MetaType t, double v)) {
            return v;
        }
        throw notCheckpoint(file, key);
    }

    private static QuantException notCheckpoint(Path file, String key) {
        return new QuantException(ErrorCode.INVALID_OPTION, file + " is not a quant imatrix checkpoint (no "
                + PREFIX + key + ")");
    }

    /** FNV-1a over the run's inputs: a checkpoint continues only the run it was made by. */
    public static long fingerprint(int[] tokens, int nCtx, int chunks, boolean processOutput, boolean perplexity,
                                   List<String> inFiles) {
        long h = 0xcbf29ce484222325L;
        long[] head = {nCtx, chunks, processOutput ? 1 : 0, perplexity ? 1 : 0, tokens.length};
        for (long v : head) {
            h = (h ^ v) * 0x100000001b3L;
        }
        for (int t : tokens) {
            h = (h ^ t) * 0x100000001b3L;
        }
        for (String f : inFiles) {
            for (char c : f.toCharArray()) {
                h = (h ^ c) * 0x100000001b3L;
            }
            h = (h ^ 0xFF) * 0x100000001b3L;
        }
        return h;
    }
}
