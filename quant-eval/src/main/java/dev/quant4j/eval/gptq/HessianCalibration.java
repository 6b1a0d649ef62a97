package dev.quant4j.eval.gptq;

import dev.quant4j.api.error.ErrorCode;
import dev.quant4j.api.error.QuantException;
import dev.quant4j.eval.model.CalibrationPasses;
import dev.quant4j.eval.model.ModelRunner;
import dev.quant4j.eval.tokenizer.Tokenizer;
import dev.quant4j.eval.tokenizer.Tokenizers;
import dev.quant4j.kernels.gptq.HessianFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The calibration pass for GPTQ: tokenizes the text with the model's own tokenizer, cuts it into chunks of
 * {@code context} tokens whose first token is BOS (llama-imatrix's chunking), runs each through the forward
 * pass with a {@link HessianCollector} and writes the Hessians to a {@link HessianFile}. A file already at
 * {@code out} computed from the same model, text, context and chunk count is reused.
 *
 * @param context     tokens per chunk
 * @param maxChunks   chunks at most (0 = all the text gives)
 * @param memoryLimit bytes of Hessians allowed in memory at once: above it the weights are split into passes
 *                    ({@link HessianPasses}), each one forward pass over the chunks
 */
public record HessianCalibration(int context, int maxChunks, long memoryLimit) {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HessianCalibration.class);

    public HessianCalibration {
        if (context < 2) {
            throw new IllegalArgumentException("context must be at least 2, got " + context);
        }
        if (maxChunks < 0) {
            throw new IllegalArgumentException("chunks must be >= 0, got " + maxChunks);
        }
    }

    /** Whether {@code out} exists and was computed from these inputs. */
    public boolean reusable(Path out, Path modelFile, Path text) throws IOException {
        if (!Files.isRegularFile(out)) {
            return false;
        }
        try (HessianFile f = HessianFile.open(out)) {
            HessianFile.Header h = f.header();
            return h.context() == context && Arrays.equals(h.modelHash(), sha256(modelFile))
                    && Arrays.equals(h.textHash(), sha256(text)) && (maxChunks == 0 || h.chunks() == maxChunks);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Computes and writes the Hessians of {@code model} over {@code text} into {@code out}.
     *
     * @param progress called with the number of chunks done
     * @return the number of calibration tokens
     */
    public long run(ModelRunner model, Path text, Path out, IntConsumer progress) throws IOException {
        Tokenizer tok = Tokenizers.fromMetadata(model.metadata());
        int[] ids = tok.encodeUtf8(Files.readAllBytes(text), true, false);
        int available = ids.length / context;
        int chunks = maxChunks == 0 ? available : Math.min(maxChunks, available);
        if (chunks < 1) {
            throw new QuantException(ErrorCode.INVALID_OPTION, text + ": " + ids.length + " tokens, fewer than one chunk of "
                    + context + "; give a longer calibration text or a smaller context");
        }
        boolean onePass = HessianPasses.total(model.tensors()) <= memoryLimit;
        List<CalibrationPasses.Pass> passes = onePass ? List.of() : HessianPasses.plan(model.tensors(), memoryLimit);
        if (!onePass) {
            LOG.info("gptq: {} calibration passes, Hessians of at most {} MiB each", passes.size(), memoryLimit >> 20);
        }
        HessianFile.Header header = new HessianFile.Header(sha256(model.path()), sha256(text), context, chunks,
                (long) chunks * context);
        int bos = tok.bos();
        try (HessianFile.Writer w = new HessianFile.Writer(out, header)) {
            int done = 0;
            for (int p = 0; p < Math.max(1, passes.size()); p++) {
                // each pass holds only its weights' Hessians and writes them before the next begins
                HessianCollector collector = new HessianCollector(memoryLimit, onePass ? null : passes.get(p).weights());
                for (int c = 0; c < chunks; c++) {
                    int[] chunk = Arrays.copyOfRange(ids, c * context, (c + 1) * context);
                    if (bos >= 0) {
                        chunk[0] = bos;
                    }
                    model.newSession(collector).append(chunk);
                    progress.accept(++done);
                }
                collector.writeTo(w);
            }
            w.commit();
        }
        return header.tokens();
    }

    private static byte[] sha256(Path file) throws IOException {
        return HessianFile.sha256(file);
    }
}
