package dev.quant4j.eval.transform;

import dev.quant4j.api.registry.QuantRegistry;
import dev.quant4j.eval.evaluation.EvaluationModel;
import dev.quant4j.eval.imatrix.ImatrixJob;
import dev.quant4j.eval.model.RunOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An importance matrix collected again on a transformed model (llama-imatrix's procedure over the calibration
 * text), for transforms whose input mixing (a rotation) makes an imatrix of the original model meaningless:
 * the mean x_j² of the rotated inputs depend on the whole E[x xᵀ], not on the old diagonal.
 */
final class ImatrixRecollect {
    private ImatrixRecollect() {
    }

    /** @return the number of entries written */
    static int collect(Path model, Path out, String text, int ctx, int chunks, int threads, QuantRegistry registry)
            throws IOException {
        RunOptions opts = RunOptions.defaults().withMaxContext(ctx);
        if (threads > 0) {
            opts = opts.withThreads(threads);
        }
        try (EvaluationModel m = EvaluationModel.open(model, registry, opts)) {
            int[] tokens = m.tokenizer().encode(text, true, false);
            ImatrixJob job = ImatrixJob.builder(registry).output(out).chunkSize(ctx)
                    .maxChunks(chunks > 0 ? chunks : -1).perplexity(false)
                    .collect(tokens, m, m.chunkBos(), "calibration").build();
            return job.run().entries();
        }
    }
}
