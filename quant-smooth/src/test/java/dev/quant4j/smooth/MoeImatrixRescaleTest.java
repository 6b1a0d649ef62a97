package dev.quant4j.smooth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.imatrix.ImatrixEntry;
import dev.quant4j.eval.imatrix.ImatrixFile;
import dev.quant4j.eval.imatrix.ImatrixFiles;
import dev.quant4j.eval.imatrix.ImatrixJob;
import dev.quant4j.eval.model.RunOptions;
import dev.quant4j.eval.transform.TransformJob;
import dev.quant4j.eval.transform.TransformSpec;
import dev.quant4j.eval.transform.TransformTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imatrix of the MoE model rescaled by {@code quant transform --imatrix} (the experts' gate/up entries by the
 * shared factors, each expert's ffn_down entry by its own) equals the imatrix collected again on the transformed
 * model from the same text.
 */
class MoeImatrixRescaleTest {
    private static final int CTX = 64;
    private static final int CHUNKS = 6;

    @TempDir
    Path tmp;

    @Test
    void rescaledImatrixEqualsRecollected() throws Exception {
        Path model = ExactnessCheck.shared("reference/eval/models/synth-qwen3moe.gguf");
        String text = Files.readString(ExactnessCheck.shared("text/tinystories_sample.txt"));
        Path before = imatrix(model, text, tmp.resolve("before.gguf"));
        Path transformed = tmp.resolve("sq.gguf");
        Path rescaled = tmp.resolve("rescaled.gguf");
        TransformJob.Result r = new TransformJob(model, transformed, List.of(TransformSpec.parse("smoothquant")),
                Optional.of(text), CTX, CHUNKS, Optional.of(before), Optional.of(rescaled), 1, TransformTargets.none())
                .run(ExactnessCheck.REGISTRY);
        Path again = imatrix(transformed, text, tmp.resolve("again.gguf"));
        ImatrixFile a = ImatrixFiles.load(rescaled, ExactnessCheck.REGISTRY);
        ImatrixFile b = ImatrixFiles.load(again, ExactnessCheck.REGISTRY);
        assertEquals(b.entries().keySet(), a.entries().keySet());
        int experts = 0;
        for (var e : b.entries().entrySet()) {
            ImatrixEntry x = a.entries().get(e.getKey());
            ImatrixEntry y = e.getValue();
            assertArrayEquals(y.counts(), x.counts(), e.getKey() + " counts (routing changed?)");
            float[] xs = x.sums();
            float[] ys = y.sums();
            for (int j = 0; j < xs.length; j++) {
                assertEquals(ys[j], xs[j], 2e-3 * Math.max(Math.abs(ys[j]), 1e-6), e.getKey() + " value " + j);
            }
            experts += x.matrices() > 1 ? 1 : 0;
        }
        assertEquals(3 * 4, experts, "the three expert weights of four layers");
        assertTrue(r.rescaledImatrixEntries() >= 4 * 6, "rescaled " + r.rescaledImatrixEntries());
    }

    private static Path imatrix(Path model, String text, Path out) throws Exception {
        try (EvaluationModel m = EvaluationModel.open(model, ExactnessCheck.REGISTRY,
                RunOptions.defaults().withThreads(1).withMaxContext(CTX))) {
            int[] tokens = m.tokenizer().encode(text, true, false);
            ImatrixJob.builder(ExactnessCheck.REGISTRY).output(out).chunkSize(CTX).maxChunks(CHUNKS).perplexity(false)
                    .collect(tokens, m, m.chunkBos(), "calibration").build().run();
        }
        return out;
    }
}
