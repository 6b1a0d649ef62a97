package dev.quant4j.importance.imatrix;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.api.spi.Calibrator;
import dev.quant4j.api.spi.ModelOpener;
import dev.quant4j.api.spi.ModelReader;
import dev.quant4j.api.tensor.CalibrationStats;
import dev.quant4j.api.tensor.TensorActivationStats;
import dev.quant4j.api.tensor.TensorView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Importance matrices as llama.cpp makes and reads them: {@link #observe} accumulates per-column sums of squared
 * activations like llama-imatrix; {@link #importFile} reads a GGUF imatrix (through the given opener) or a legacy
 * {@code .dat}, yielding the mean squared activations llama-quantize passes to its quantizers.
 */
final class ImatrixCalibrator implements Calibrator {
    private static final byte[] GGUF_MAGIC = {'G', 'G', 'U', 'F'};

    /** Entries in byte-wise name order, as llama-imatrix writes them. */
    private final Map<String, ColumnAccumulator> observed = new ConcurrentSkipListMap<>();

    @Override
    public void observe(String tensor, TensorView activations) {
        if (activations.rowLength() > Integer.MAX_VALUE - 8) {
            throw new QuantException(ErrorCode.UNSUPPORTED_SHAPE, "activations for '" + tensor + "': rows of "
                    + activations.rowLength() + " values are too long");
        }
        observed.computeIfAbsent(tensor, t -> new ColumnAccumulator(t, (int) activations.rowLength()))
                .add(activations);
    }

    @Override
    public CalibrationStats finish() {
        List<TensorActivationStats> stats = new ArrayList<>();
        observed.values().forEach(a -> stats.add(a.stats()));
        return CalibrationStats.of("observed activations", stats);
    }

    @Override
    public CalibrationStats importFile(Path file, ModelOpener models) throws IOException {
        if (isGguf(file)) {
            try (ModelReader reader = models.open(file)) {
                return GgufImatrixReader.read(file, reader);
            }
        }
        return LegacyImatrixReader.read(file);
    }

    /** llama.cpp tries GGUF first; a file that does not start with its magic is legacy. */
    private static boolean isGguf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return java.util.Arrays.equals(head, GGUF_MAGIC);
        }
    }
}
